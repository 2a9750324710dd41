import type { MediaServerOptions } from '../media-server/index.js';
import type { DatabaseConfig } from '../prisma/index.js';
import type { HubTurnSettings } from '../turn/index.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything the hub reads from its environment, checked and typed (see `hubEnvironment`). */
export interface HubConfig {
  /** One node of several behind one address (REDIS_URL set): its id and own address in the nodes' directory. */
  /** The media between nodes is SRTP (NODE_PIPE_SRTP=on) when they are not on one trusted network. */
  cluster?: { redisUrl: string; clusterSecret: string; nodeId: string; nodeUrl: string; pipeSrtp: boolean };
  /** Where the hub keeps its files: the SQLite database, keys, certificates, coturn's state. */
  dataDir: string;
  /** coturn started with the hub (TURN=on): relays for sites behind firewalls. */
  turn: HubTurnSettings & { enabled: boolean };
  http: {
    port: number;
    host: string;
    /** Plain HTTP on this port redirects to HTTPS (only with TLS); undefined: no redirect. */
    redirectPort?: number;
  };
  /** HTTPS (on unless TLS=off): an operator's certificate, or else the hub's own CA under `dir`. */
  tls: { enabled: boolean; certFile?: string; keyFile?: string; chainFile?: string; hostNames: string[]; dir: string };
  database: DatabaseConfig;
  media: MediaServerOptions;
  /** Insert missing sample bridge points and accounts, and a year of meetings into an empty database. */
  sampleData: boolean;
  /** Run and register the 37 simulated counter cameras (only with sample data). */
  sampleCameras: boolean;
  samplePassword: string;
  /** The first admin's password (outside sample mode, when the database has no admin); else one is generated and printed once. */
  adminPassword?: string;
  /** Subnets besides each camera's own host where its stream and snapshot URIs may point. */
  cameraSubnets: string[];
  /** The proxies in front (TRUSTED_PROXIES): from them, a client's address is read from X-Forwarded-For. */
  trustedProxies: string[];
  /** Where outputs may be pushed and RTSP feeds pulled from (subnets, host names); empty: anywhere but the hub's own services. */
  outputAllowed: string[];
  feedAllowed: string[];
  sessions: { idleMs: number; absoluteMs: number };
  loginThrottle: { failuresPerAccount: number; failuresPerAddress: number; blockSeconds: number };
  /** Origins besides the hub's own whose pages may open a socket. */
  allowedOrigins: string[];
  /** AES-256-GCM key for camera passwords at rest; without it, a key file next to the database. */
  cameraCredentialsKey?: Buffer;
  cameraCredentialsKeyFile: string;
  /** Camera recording: where, how long, how much, and the office hours (for cameras recorded then). */
  recording: RecordingConfig;
  /** The counter cameras' wall streams are analysed (motion search, tamper); off on a server too small for it. */
  cameraAnalysis: boolean;
  /** A counter counts as unattended after nothing moved at its desk this long. */
  counterUnattendedMs: number;
  /** Feeds pushed from outside (RTMP, SRT): where their listeners listen, and their ports. */
  feeds: { listenIp: string; minPort: number; maxPort: number };
  /**
   * The SIP side (SIP=on): where it listens (UDP and TCP; BFCP, the calls' content floor, on TCP `bfcpPort`), the
   * address far ends reach it at, and where it may call (SIP_ALLOWED_SUBNETS; empty: anywhere but the hub's own services).
   */
  sip: {
    enabled: boolean;
    port: number;
    tlsPort: number;
    bfcpPort: number;
    listenIp: string;
    announcedAddress: string;
    allowed: string[];
  };
  /** The province as documents name it (PROVINCE_NAME), e.g. the minutes' date line. */
  provinceName: string;
  /** The largest agenda document (PDF) accepted, in bytes (AGENDA_DOCUMENT_MAX_MB). */
  agendaDocumentMaxBytes: number;
  /** Where meetings' recordings are written (MEETING_RECORDINGS_DIR; default data/meeting-recordings). */
  meetingRecordingsDir: string;
  /** The built client served at `/`. */
  clientDir: string;
  logLevel: LogLevel;
  /** Prometheus scrapes /metrics with this bearer token; without one, /metrics answers loopback only. */
  metricsToken?: string;
  /** A mediasoup-worker binary instead of the one set-up resolved (mediasoup itself reads the variable). */
  mediasoupWorkerBin?: string;
}

export interface RecordingConfig {
  directory: string;
  segmentSeconds: number;
  retentionDays: number;
  quotaBytes: number;
  minFreeBytes: number;
  officePeriods?: Array<[string, string]>;
  holidays: string[];
}
