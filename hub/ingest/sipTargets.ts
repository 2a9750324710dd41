/** A SIP address as a URL the destination rules read: its host and port (their default port for `sip:` is 5060). */
export function sipTargetUrl(source: string): URL {
  const hostPort = source
    .replace(/^sips?:/i, '')
    .replace(/;.*$/, '')
    .split('@')
    .pop()!;
  return new URL(`sip://${hostPort}`);
}
