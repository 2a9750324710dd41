import os from 'node:os';
import type { MediaServerOptions } from './MediaServerTypes.js';

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Reads MEDIA_* variables (see README "Configuration"). */
export function mediaServerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MediaServerOptions {
  const webRtcServerPort = env.MEDIA_WEBRTC_SERVER_PORT;
  return {
    numWorkers: intFromEnv(env, 'MEDIA_WORKERS', os.availableParallelism()),
    listenIp: env.MEDIA_LISTEN_IP ?? '127.0.0.1',
    announcedAddress: env.MEDIA_ANNOUNCED_ADDRESS || undefined,
    rtcMinPort: intFromEnv(env, 'MEDIA_RTC_MIN_PORT', 40000),
    rtcMaxPort: intFromEnv(env, 'MEDIA_RTC_MAX_PORT', 49999),
    webRtcServerPort: webRtcServerPort ? intFromEnv(env, 'MEDIA_WEBRTC_SERVER_PORT', 0) : undefined,
    peersPerRouter: Math.max(1, intFromEnv(env, 'MEDIA_PEERS_PER_ROUTER', 200)),
    logLevel: 'warn',
  };
}
