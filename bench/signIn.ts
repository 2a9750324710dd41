import { defaultSamplePassword } from '../prisma/index.js';
import type { LoginResponse } from '../shared/meetings.js';

/** Signs a sample account in on a running hub (benchmarks use the seeded accounts). */
export async function signIn(base: string, username: string): Promise<LoginResponse & { token: string }> {
  const response = await fetch(`${base}/api/auth/login`, {
    // a hub too busy to answer is reported as such, not waited on for undici's five minutes
    signal: AbortSignal.timeout(60_000),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: defaultSamplePassword }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username}: ${response.status}`);
  return (await response.json()) as LoginResponse & { token: string };
}
