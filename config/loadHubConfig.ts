import os from 'node:os';
import path from 'node:path';
import { projectRoot, type DatabaseConfig } from '../prisma/index.js';
import { ConfigError } from './errors.js';
import { hubEnvironment, hubEnvironmentVariables } from './hubEnvironment.js';
import { detectLanAddress } from './lanAddress.js';
import type { HubConfig } from './HubConfigTypes.js';

const anyAddress = (ip: string) => ip === '0.0.0.0' || ip === '::';

/** postgresql://… selects PostgreSQL; anything else (or nothing) is an SQLite file, relative to the checkout. */
function databaseConfig(url: string | undefined, dataDir: string): DatabaseConfig {
  const trimmed = url?.trim();
  if (trimmed && /^postgres(ql)?:\/\//.test(trimmed)) return { provider: 'postgresql', url: trimmed };
  const file = trimmed ? trimmed.replace(/^file:/, '') : path.join(dataDir, 'hub.db');
  return { provider: 'sqlite', url: path.resolve(projectRoot, file) };
}

/** Variables whose value is a secret: a bad one is named, never shown (the error goes to the journal). */
const secretVariables = new Set([
  'CLUSTER_SECRET',
  'CAMERA_CREDENTIALS_KEY',
  'SAMPLE_PASSWORD',
  'ADMIN_PASSWORD',
  'TURN_SECRET',
  'METRICS_TOKEN',
]);
/** Variables that are URLs which may carry a password: shown with it masked. */
const urlVariables = new Set(['DATABASE_URL', 'REDIS_URL']);

function shownValue(name: string, given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  if (secretVariables.has(name)) return '…hidden…';
  if (!urlVariables.has(name)) return given;
  try {
    const url = new URL(given);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // not a URL: it cannot be told which part would be the password
    return '…hidden…';
  }
}

/**
 * Reads and checks the whole environment at start-up. Every bad variable is reported at once, with
 * what was wrong and the value given, before anything starts.
 */
export function loadHubConfig(source: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = hubEnvironment.safeParse(Object.fromEntries(hubEnvironmentVariables.map((name) => [name, source[name]])));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const given = shownValue(name, source[name]);
        return `${name}: ${issue.message}${given === undefined ? '' : ` (got "${given}")`}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(projectRoot, e.DATA_DIR);
  const announcedAddress = e.MEDIA_ANNOUNCED_ADDRESS ?? (anyAddress(e.MEDIA_LISTEN_IP) ? (detectLanAddress() ?? '127.0.0.1') : undefined);
  return {
    dataDir,
    http: { port: e.PORT, host: e.HOST, redirectPort: e.TLS === 'on' && e.HTTP_REDIRECT_PORT !== 'off' ? e.HTTP_REDIRECT_PORT : undefined },
    tls: {
      enabled: e.TLS === 'on',
      certFile: e.TLS_CERT,
      keyFile: e.TLS_KEY,
      chainFile: e.TLS_CHAIN,
      hostNames: e.TLS_HOSTNAMES,
      dir: path.join(dataDir, 'tls'),
    },
    database: databaseConfig(e.DATABASE_URL, dataDir),
    // the schema refuses REDIS_URL without CLUSTER_SECRET
    cluster:
      e.REDIS_URL && e.CLUSTER_SECRET
        ? {
            redisUrl: e.REDIS_URL,
            clusterSecret: e.CLUSTER_SECRET,
            nodeId: e.NODE_ID ?? `${os.hostname()}:${e.PORT}`,
            nodeUrl: e.NODE_URL ?? `${e.TLS === 'on' ? 'https' : 'http'}://${os.hostname()}:${e.PORT}`,
            pipeSrtp: e.NODE_PIPE_SRTP === 'on',
          }
        : undefined,
    media: {
      numWorkers: e.MEDIA_WORKERS,
      listenIp: e.MEDIA_LISTEN_IP,
      // bound to every interface, the browsers are told the LAN address (unless the operator names one)
      announcedAddress,
      rtcMinPort: e.MEDIA_RTC_MIN_PORT,
      rtcMaxPort: e.MEDIA_RTC_MAX_PORT,
      webRtcServerPort: e.MEDIA_WEBRTC_SERVER_PORT === 'off' ? undefined : e.MEDIA_WEBRTC_SERVER_PORT,
      peersPerRouter: e.MEDIA_PEERS_PER_ROUTER,
      maxShownVideos: e.MEDIA_MAX_SHOWN_VIDEOS,
      maxForwardedMicrophones: e.MEDIA_MAX_FORWARDED_MICROPHONES,
      loadTestTransports: e.MEDIA_LOAD_TEST_TRANSPORTS === 'on',
      // off: the load is still read (and in /metrics), nothing is ever given up
      loadShedding: {
        highPercent: e.LOAD_SHED_HIGH_PERCENT === 'off' ? Infinity : e.LOAD_SHED_HIGH_PERCENT,
        lowPercent: e.LOAD_SHED_LOW_PERCENT,
      },
      logLevel: 'warn',
    },
    sampleData: e.SEED_SAMPLE_DATA,
    sampleCameras: e.SEED_SAMPLE_DATA && e.SAMPLE_CAMERAS,
    samplePassword: e.SAMPLE_PASSWORD,
    adminPassword: e.ADMIN_PASSWORD,
    cameraSubnets: e.CAMERA_ALLOWED_SUBNETS,
    trustedProxies: e.TRUSTED_PROXIES,
    outputAllowed: e.OUTPUT_ALLOWED_SUBNETS,
    feedAllowed: e.FEED_ALLOWED_SUBNETS,
    sessions: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.SESSION_MAX_HOURS * 3_600_000 },
    loginThrottle: {
      failuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      failuresPerAddress: e.LOGIN_FAILURES_PER_ADDRESS,
      blockSeconds: e.LOGIN_BLOCK_MINUTES * 60,
    },
    allowedOrigins: e.ALLOWED_ORIGINS,
    cameraCredentialsKey: e.CAMERA_CREDENTIALS_KEY,
    cameraCredentialsKeyFile: path.join(dataDir, 'camera-credentials.key'),
    recording: {
      directory: path.resolve(projectRoot, e.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
      segmentSeconds: e.RECORDING_SEGMENT_SECONDS,
      retentionDays: e.RECORDING_RETENTION_DAYS,
      quotaBytes: Math.round(e.RECORDING_QUOTA_GB * 1024 ** 3),
      minFreeBytes: Math.round(e.RECORDING_MIN_FREE_GB * 1024 ** 3),
      officePeriods: e.RECORDING_OFFICE_HOURS,
      holidays: e.RECORDING_HOLIDAYS,
    },
    cameraAnalysis: e.CAMERA_ANALYSIS === 'on',
    counterUnattendedMs: e.COUNTER_UNATTENDED_MINUTES * 60_000,
    feeds: { listenIp: e.FEED_LISTEN_IP, minPort: e.FEED_MIN_PORT, maxPort: e.FEED_MAX_PORT },
    sip: {
      enabled: e.SIP === 'on',
      port: e.SIP_PORT,
      tlsPort: e.SIP_TLS_PORT,
      bfcpPort: e.SIP_BFCP_PORT,
      listenIp: e.SIP_LISTEN_IP,
      // where room systems and MCUs reach it: the address it listens on, or on every interface the media's
      announcedAddress:
        e.SIP_ANNOUNCED_ADDRESS ??
        (anyAddress(e.SIP_LISTEN_IP) ? (announcedAddress ?? detectLanAddress() ?? '127.0.0.1') : e.SIP_LISTEN_IP),
      allowed: e.SIP_ALLOWED_SUBNETS,
    },
    agendaDocumentMaxBytes: e.AGENDA_DOCUMENT_MAX_MB * 1024 ** 2,
    provinceName: e.PROVINCE_NAME,
    meetingRecordingsDir: path.resolve(projectRoot, e.MEETING_RECORDINGS_DIR ?? path.join(dataDir, 'meeting-recordings')),
    turn: {
      enabled: e.TURN === 'on',
      port: e.TURN_PORT,
      tlsPort: e.TURN_TLS_PORT,
      secret: e.TURN_SECRET,
      relayMinPort: e.TURN_RELAY_MIN_PORT,
      relayMaxPort: e.TURN_RELAY_MAX_PORT,
      // where browsers reach it: the media's address, else this machine's LAN address
      host: e.TURN_HOST ?? announcedAddress ?? (anyAddress(e.MEDIA_LISTEN_IP) ? '127.0.0.1' : e.MEDIA_LISTEN_IP),
      listenIp: e.MEDIA_LISTEN_IP,
      externalIp: anyAddress(e.MEDIA_LISTEN_IP) ? announcedAddress : undefined,
      dir: path.join(dataDir, 'turn'),
      credentialsTtlSeconds: e.TURN_CREDENTIALS_SECONDS,
    },
    clientDir: path.resolve(projectRoot, e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    mediasoupWorkerBin: e.MEDIASOUP_WORKER_BIN,
  };
}
