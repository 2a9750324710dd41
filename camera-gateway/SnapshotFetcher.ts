import { DigestClient } from 'digest-fetch';
import type { CameraCredentials } from './CameraGatewayTypes.js';
import { CameraSnapshotError } from './errors.js';

export interface SnapshotLimits {
  /** A larger answer is cut off and refused (a camera's JPEG is tens to hundreds of kB). */
  maxBytes: number;
  /** The whole exchange, authentication included. */
  timeoutMs: number;
}

export const defaultSnapshotLimits: SnapshotLimits = { maxBytes: 8 * 1024 * 1024, timeoutMs: 5000 };

/** The image types a snapshot may be served as; anything else is not passed on. */
const imageTypes = new Set(['image/jpeg', 'image/png']);

/**
 * One still image from a camera's snapshot URI (already checked by CameraUriPolicy). The camera's
 * credentials are sent only when it asks (HTTP 401), by digest when it offers digest, and never
 * across a redirect; the answer must be a JPEG or PNG within the size and time limits. Failures
 * carry a short code, never the device's text.
 */
export async function fetchSnapshot(
  url: URL,
  credentials: CameraCredentials,
  limits: SnapshotLimits = defaultSnapshotLimits,
): Promise<{ contentType: string; body: Buffer }> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const options = { redirect: 'manual' as const, signal };
  try {
    let response = await fetch(url, options);
    if (response.status === 401) {
      await response.body?.cancel();
      response = await answerChallenge(url, response.headers.get('www-authenticate') ?? '', credentials, options);
      if (response.status === 401) throw new CameraSnapshotError('AUTH_FAILED');
    }
    if (response.status >= 300 && response.status < 400) throw new CameraSnapshotError('REDIRECTED');
    if (!response.ok) throw new CameraSnapshotError('HTTP_ERROR');
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!imageTypes.has(contentType)) throw new CameraSnapshotError('NOT_AN_IMAGE');
    return { contentType, body: await readCapped(response, limits.maxBytes) };
  } catch (error) {
    if (error instanceof CameraSnapshotError) throw error;
    throw new CameraSnapshotError(signal.aborted ? 'TIMEOUT' : 'UNREACHABLE');
  }
}

async function answerChallenge(
  url: URL,
  challenge: string,
  { username, password }: CameraCredentials,
  options: RequestInit,
): Promise<Response> {
  if (/^digest\s/i.test(challenge)) {
    // HTTP digest sends the username in a header, which carries ASCII only; cameras do not take RFC 7616's username*
    if (!/^[\x20-\x7e]*$/.test(username)) throw new CameraSnapshotError('USERNAME_NOT_TAKEN');
    const client = new DigestClient(username, password);
    // the challenge already in hand: the first request digest-fetch sends carries the answer
    client.parseAuth(challenge);
    return (await client.fetch(url.href, { ...options })) as Response;
  }
  if (/^basic(\s|$)/i.test(challenge))
    return fetch(url, { ...options, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
  throw new CameraSnapshotError('AUTH_FAILED');
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new CameraSnapshotError('TOO_LARGE');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new CameraSnapshotError('TOO_LARGE');
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
