/**
 * Whether a browser's request comes from the hub's own pages by its Origin: none (not a browser, or a
 * same-origin GET), one the operator allows, or one whose host is the Host it asked for.
 */
export function fromOwnOrigin(headers: { origin?: string; host?: string }, allowedOrigins: readonly string[]): boolean {
  const { origin } = headers;
  if (origin === undefined || allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
