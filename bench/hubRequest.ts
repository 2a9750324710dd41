/**
 * A REST call to a running hub as a signed-in account (bearer token), its JSON answer (null for 204). A hub too
 * busy to answer within 60 s is reported as such, not waited on for undici's five minutes.
 */
export async function hubRequest<T = unknown>(base: string, token: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${route}`, {
    signal: AbortSignal.timeout(60_000),
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? null : await response.json()) as T;
}
