import { signIn } from './signIn.js';

/** The sample chair schedules a meeting of UBND-TINH with every site of `codes` on a running hub and starts it. */
export async function startMeeting(base: string, codes: string[], title: string): Promise<string> {
  const { token } = await signIn(base, 'chu-toa');
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const now = Date.now();
  const meeting = await post<{ id: string }>('/api/meetings', {
    title,
    hostLevel: 'PROVINCIAL',
    scheduledStart: new Date(now).toISOString(),
    scheduledEnd: new Date(now + 3_600_000).toISOString(),
    invitedCodes: codes,
  });
  await post(`/api/meetings/${meeting.id}/start`, {});
  return meeting.id;
}
