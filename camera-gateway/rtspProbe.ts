import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** ffmpeg's and ffprobe's `-protocol_whitelist` for a camera's stream. */
export const rtspProtocols = 'rtsp,rtp,tcp,udp';

export interface ProbedVideo {
  codec: string;
  profile?: string;
  level?: number;
}

/**
 * The stream's video codec, profile and level, from ffprobe over RTSP/TCP. Bounded in time: a camera
 * that answers but sends frozen or no frames would otherwise keep ffprobe waiting for ever.
 */
export async function probeVideo(rtspUri: string, timeoutMs = 10_000): Promise<ProbedVideo | undefined> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      // RTSP and what it rides on only: a device's URI cannot make ffprobe read files or fetch over HTTP
      '-protocol_whitelist',
      rtspProtocols,
      '-rtsp_transport',
      'tcp',
      '-timeout',
      '5000000',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,profile,level',
      '-of',
      'json',
      rtspUri,
    ],
    { timeout: timeoutMs, killSignal: 'SIGKILL' },
  );
  const stream = (JSON.parse(stdout) as { streams?: Array<{ codec_name: string; profile?: string; level?: number }> }).streams?.[0];
  return stream && { codec: stream.codec_name, profile: stream.profile, level: stream.level };
}

/** Whether the camera accepts a TCP connection on its RTSP port: a cheap check, no RTSP session. */
export function acceptsConnections(rtspUri: string, timeoutMs: number): Promise<boolean> {
  const url = new URL(rtspUri);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 554), timeout: timeoutMs });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
