import fs from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Server as SocketServer } from 'socket.io';
import {
  CameraGateway,
  CameraUriPolicy,
  CredentialCipher,
  OnvifClient,
  Recorder,
  defaultRecordingOptions,
  type FeedOptions,
  type MotionOptions,
  type CounterAttendanceOptions,
  type RecordingOptions,
  type SnapshotLimits,
} from '../camera-gateway/index.js';
import { isLiveWorker, type MediaServer } from '../media-server/index.js';
import { HubMetrics, observabilityRoutes } from '../observability/index.js';
import { projectRoot, type Db } from '../prisma/index.js';
import type { TurnAccess } from '../turn/index.js';
import {
  AccountAdmin,
  accountRoutes,
  authRoutes,
  AuthService,
  type AuthenticatedUser,
  type AuthServiceOptions,
  LoginThrottle,
  type LoginThrottleOptions,
} from './accounts/index.js';
import { AuditLog } from './audit/index.js';
import { UnitAdmin, unitRoutes, BridgePointDirectory, bridgePointRoutes, RoomSystemDirectory, roomSystemRoutes } from './units/index.js';
import {
  accessControl,
  type RouteAccess,
  sessionToken,
  httpErrorHandler,
  registerSecurityHeaders,
  HeavyExports,
  refusal,
  validatorCompiler,
} from './http/index.js';
import { said } from '../shared/messages/index.js';
import {
  sameOriginHandshakes,
  SocketAccess,
  announceLoadShedding,
  renewIceServers,
  type HubServer,
  type IceAccess,
} from './realtime/index.js';
import { AccountImporter, CameraImporter, importRoutes, ProvinceImport, UnitImporter } from './setup/index.js';
import { cameraRoutes, counterRoutes, motionRoutes, recordingRoutes, wallLayoutRoutes, CameraWallSignalling } from './cameras/index.js';
import {
  AgendaDocuments,
  agendaRoutes,
  AttendanceRecorder,
  type AttendanceOptions,
  meetingRoutes,
  MeetingStore,
  MeetingSignalling,
  meetingMediaRoutes,
} from './meetings/index.js';
import { IngestService, type IngestOptions, ingestRoutes } from './ingest/index.js';
import { ProgramService, type ProgramOptions, programRoutes } from './program/index.js';
import { MeetingMinutes, MinutesStore, minutesRoutes } from './minutes/index.js';
import { clusterRoutes } from './cluster/index.js';
import { HubCluster } from '../cluster/index.js';
import { reportRoutes, ReportService } from './reports/index.js';
import { DestinationPolicy, type OwnService } from './destinations/index.js';
import { BfcpServer, SipEndpoint } from '../sip/index.js';

export interface AppDeps {
  prisma: Db;
  media: MediaServer;
  /** The built client (vite output); served at / when present. */
  clientDir?: string;
  logLevel?: string;
  /** Where the structured log goes (default stdout); tests read it back. */
  logStream?: { write(line: string): void };
  attendance?: AttendanceOptions;
  /** The key for camera passwords at rest (CAMERA_CREDENTIALS_KEY); else the key file below. */
  cameraKey?: Buffer;
  /** Where the camera-credentials key lives when no key is given (created on first use). */
  cameraKeyFile?: string;
  cameraFeed?: Partial<FeedOptions>;
  /** The wall streams' analysis: motion metadata and tamper (defaults: defaultMotionOptions). */
  cameraMotion?: Partial<MotionOptions>;
  /** Counter attendance from the staff zones' motion (defaults: defaultCounterAttendanceOptions). */
  counterAttendance?: Partial<CounterAttendanceOptions>;
  /** Subnets (CIDR) besides each camera's own host where its stream and snapshot URIs may point (CAMERA_ALLOWED_SUBNETS). */
  cameraSubnets?: string[];
  snapshotLimits?: SnapshotLimits;
  /** Camera recording (its directory at least); live only without. */
  recording?: Partial<RecordingOptions> & { directory: string };
  /** Serve HTTPS with this key and certificate (+ chain); plain HTTP without. */
  https?: { key: Buffer; cert: Buffer };
  /** The hub's own CA certificate, offered at GET /ca.crt for bridge-point PCs to trust. */
  caCertificate?: Buffer;
  /** The hub's TURN server, handed to every browser with credentials of its own; none without. */
  turn?: TurnAccess;
  /** Bearer token for /metrics (METRICS_TOKEN); without one, only loopback may scrape. */
  metricsToken?: string;
  /** Where outputs may be pushed and RTSP feeds pulled from (OUTPUT_ALLOWED_SUBNETS, FEED_ALLOWED_SUBNETS); empty: anywhere. */
  outputAllowed?: string[];
  feedAllowed?: string[];
  /** The hub's own services besides its HTTP port (TURN, feeds, media, Redis, the database): never a destination. */
  ownServices?: OwnService[];
  /** Clip exports and recording downloads under way at once, across the hub (default 2). */
  heavyExportSlots?: number;
  /** Proxies (addresses, subnets) whose X-Forwarded-For gives the client's address (TRUSTED_PROXIES); none by default. */
  trustedProxies?: string[];
  /** Session expiry (idle and absolute); defaults: 30 min idle, 12 h absolute. */
  sessions?: Partial<AuthServiceOptions> & { sweepIntervalMs?: number };
  /** Sign-in requests per address and minute (default 300); the access-matrix test signs in once per route and role. */
  loginRequestsPerMinute?: number;
  /** Failed sign-ins before a block, per account and per address. */
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** Origins besides the hub's own whose pages may open a socket (ALLOWED_ORIGINS). */
  allowedOrigins?: string[];
  /** The hub runs with sample accounts (the login page says it is a demo). */
  demo?: boolean;
  /** Feeds from outside: a WHIP encoder's time to connect, where RTMP and SRT listeners listen. */
  feeds?: Partial<IngestOptions>;
  /** The SIP side (SIP=on): where it listens, the address far ends reach it at, where it may call (SIP_ALLOWED_SUBNETS). */
  sip?: {
    port: number;
    /** BFCP over TCP: the content floor of the calls that present (RFC 8855). */
    bfcpPort: number;
    /** SIP over TLS: its port, and the certificate (with its chain) and key it shows. */
    tls?: { port: number; key: Buffer; cert: Buffer };
    listenIp: string;
    announcedAddress: string;
    allowed: string[];
    redialMs?: number;
  };
  /** One node of several behind one address (REDIS_URL): socket.io's rooms span the nodes, and the node publishes itself. */
  cluster?: { redisUrl: string; clusterSecret: string; nodeId: string; nodeUrl: string; pipeSrtp?: boolean };
  /** The meetings' programs: where their recordings go (default: data/meeting-recordings under the project). */
  program?: Partial<ProgramOptions>;
  /** The largest agenda document (PDF) accepted, in bytes (AGENDA_DOCUMENT_MAX_MB; default 50 MB). */
  agendaDocumentMaxBytes?: number;
  /** The province as documents name it, e.g. in the minutes' date line (PROVINCE_NAME; default An Giang). */
  provinceName?: string;
}

export const defaultSessionOptions: AuthServiceOptions = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };
export const defaultLoginThrottle: LoginThrottleOptions = { failuresPerAccount: 10, failuresPerAddress: 50, blockSeconds: 15 * 60 };
/** A station's or a site's browser holds one connection per tab; more than this from one account is abuse. */
const maxSocketsPerAccount = 16;
/** Sign-in requests per address and minute, whatever their outcome (each costs a scrypt). */
const defaultLoginRequestsPerMinute = 300;

/**
 * socket.io's heartbeat: a ping every 2 s stamps each site as seen, and a connection that stopped answering
 * is dropped within 7 s (the defaults, 25 s + 20 s, let others watch a frozen tile for half a minute). The
 * 5 s answer leaves room for TCP to retransmit a pong a few times on a lossy commune line; a silent site
 * shows "reconnecting" sooner anyway, from its media (MediaPresenceWatch).
 */
const heartbeat = { pingInterval: 2000, pingTimeout: 5000 };

export interface HubApp {
  http: FastifyInstance;
  io: HubServer;
  attendance: AttendanceRecorder;
  cameras: CameraGateway;
  /** Every API route with its access rule (the role × route test is generated from it). */
  routes: RouteAccess[];
}

/** fastify (REST + OpenAPI at /docs + the client) and socket.io on the same HTTP server. */
export async function buildApp(deps: AppDeps): Promise<HubApp> {
  const { prisma, media, clientDir, logLevel = 'info', attendance: attendanceOptions, https } = deps;
  // an HTTPS server through serverFactory keeps one instance type for both (socket.io attaches the same way)
  const serverFactory: FastifyServerFactory | undefined = https
    ? (handler) => createHttpsServer({ key: https.key, cert: https.cert }, handler)
    : undefined;
  const http = Fastify({
    logger: { level: logLevel, ...(deps.logStream ? { stream: deps.logStream } : {}) },
    serverFactory,
    // behind a balancer every client would have its address: sign-in limits would then aim at everyone
    trustProxy: deps.trustedProxies && deps.trustedProxies.length > 0 ? deps.trustedProxies : false,
  }).withTypeProvider<ZodTypeProvider>();
  await registerSecurityHeaders(http, { https: Boolean(https) });
  http.setValidatorCompiler(validatorCompiler);
  http.setSerializerCompiler(serializerCompiler);
  http.setErrorHandler(httpErrorHandler);
  await http.register(fastifyCookie);
  await http.register(fastifyRateLimit, { global: false });
  const auth = new AuthService(prisma, { ...defaultSessionOptions, ...deps.sessions });
  const routes = accessControl(http, auth, deps.allowedOrigins ?? []);

  await http.register(fastifySwagger, {
    openapi: {
      info: { title: 'Province meeting hub API', version: '0.2.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await http.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiHooks: {
      // the API's description is for signed-in integrators too (callback-style hook: swagger-ui's typing)
      onRequest: (request, reply, done) => {
        auth
          .authenticate(sessionToken(request.headers))
          .then((user) => (user ? done() : reply.code(401).send(refusal(401, 'Unauthorized', said('access.signInFirst')))), done);
      },
    },
  });

  const pool = media.workerPool;
  const onWorkerDied = (worker: number, pid: number, error: Error) =>
    http.log.error({ worker, pid, err: error }, 'mediasoup worker died: its meetings’ sites join again on a live worker');
  const onWorkerReplaced = (worker: number) =>
    http.log.error({ worker, pid: pool.slot(worker).worker.pid }, 'mediasoup worker replaced after dying');
  const onWorkerReplaceFailed = (worker: number, error: Error, retryInMs: number) =>
    http.log.error({ worker, err: error, retryInMs }, 'mediasoup worker died and could not be restarted; retrying');
  pool.on('workerDied', onWorkerDied).on('workerReplaced', onWorkerReplaced).on('workerReplaceFailed', onWorkerReplaceFailed);
  http.addHook('onClose', async () => {
    pool.off('workerDied', onWorkerDied).off('workerReplaced', onWorkerReplaced).off('workerReplaceFailed', onWorkerReplaceFailed);
  });

  const store = new MeetingStore(prisma);
  // several nodes: each writes, stamps and closes only its own sites' presences
  const attendance = new AttendanceRecorder(prisma, attendanceOptions, deps.cluster?.nodeId ?? null);
  attendance.on('heartbeatFailed', (err) =>
    http.log.error({ err }, 'stamping the open presences failed: a crash now would cut them at the last stamp'),
  );
  // Presences left open by a crash end at their last heartbeat; a site back in time reopens its own.
  await attendance.closeOrphans();
  const io: HubServer = new SocketServer(http.server, {
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
    allowRequest: sameOriginHandshakes(deps.allowedOrigins ?? []),
    ...heartbeat,
  });
  const cluster =
    deps.cluster &&
    (await HubCluster.join(
      io,
      {
        redisUrl: deps.cluster.redisUrl,
        clusterSecret: deps.cluster.clusterSecret,
        nodeId: deps.cluster.nodeId,
        url: deps.cluster.nodeUrl,
        workers: () => media.workerPool.workers.map((slot) => ({ index: slot.index, load: slot.load, live: isLiveWorker(slot) })),
      },
      (err) => http.log.error({ err }, 'Redis: the node could not publish itself or relay an event'),
      // the reason and the sender it claims; never the message (it may hold what a forger wants logged)
      (rejected) =>
        http.log.warn({ reason: rejected.message, claimedFrom: rejected.claimedFrom }, 'a message between hub nodes was dropped'),
    ));
  if (cluster) {
    // a meeting's sites on several nodes: its producers piped between them
    media.connectNodes({
      link: cluster.mediaLink,
      enableSrtp: deps.cluster?.pipeSrtp === true,
      onError: (err) => http.log.error({ err }, 'a pipe between hub nodes failed'),
    });
    media.on('nodePipeError', (err) => http.log.error({ err }, 'a producer could not be struck from the cluster’s map'));
    // which node answered: for the operator behind the balancer (and the cluster test)
    http.addHook('onRequest', async (_request, reply) => {
      reply.raw.setHeader('x-hub-node', cluster.directory.nodeId);
    });
  }
  const socketAccess = new SocketAccess({
    io,
    auth,
    log: http.log,
    maxSocketsPerAccount,
    sweepIntervalMs: deps.sessions?.sweepIntervalMs ?? 60_000,
  });
  const pingDatabase = async () => {
    await prisma.$queryRaw`SELECT 1`;
  };
  const metrics = new HubMetrics({
    pool,
    meetings: () => signalling.presenceCounts(),
    cameraStatuses: () => cameras.list().map((camera) => camera.status),
    cameraTampers: () => cameras.list().flatMap((camera) => (camera.tamper ? [camera.tamper] : [])),
    pingDatabase,
    programVoiceDecodeErrors: () => program.voiceDecodeErrors,
    attendanceHeartbeatFailures: () => attendance.heartbeatFailures,
    cameraWallWorker: () => hub.workerIndex,
    load: () => ({ percent: media.loadPercent, steps: media.shedSteps, taken: media.shedTaken }),
    nodePipeTraffic: cluster && (() => media.nodePipes!.traffic()),
  });
  const hub = await media.cameraHub();
  hub.on('routerLost', (worker) => http.log.error({ worker }, 'the camera wall lost its mediasoup worker: making its router again'));
  hub.on('rebuilt', (worker) => http.log.warn({ worker }, 'the camera wall runs again: stations join again, cameras are pulled again'));
  // camera passwords, and the stream keys of feeds pushed from outside, at rest
  const cipher = CredentialCipher.fromKeyOrFile(
    deps.cameraKey,
    deps.cameraKeyFile ?? path.join(projectRoot, 'data', 'camera-credentials.key'),
  );
  const cameras = new CameraGateway({
    prisma,
    hub,
    cipher,
    onvif: new OnvifClient(),
    log: http.log,
    uris: new CameraUriPolicy(deps.cameraSubnets),
    options: deps.cameraFeed,
    snapshotLimits: deps.snapshotLimits,
    recorder:
      deps.recording &&
      new Recorder({ prisma, options: { ...defaultRecordingOptions, ...deps.recording }, log: http.log, motion: deps.cameraMotion }),
    motion: deps.cameraMotion,
    attendance: deps.counterAttendance,
  });
  await cameras.start();
  const { turn } = deps;
  const directory = new BridgePointDirectory(prisma);
  // read at each transport, so an admin's change applies from the site's next join
  const iceAccess = async (user: AuthenticatedUser): Promise<IceAccess> => ({
    iceServers: turn?.iceServers(user.username) ?? [],
    iceTransportPolicy:
      (user.bridgePointCode && turn ? (await directory.network(user.bridgePointCode))?.iceTransportPolicy : undefined) ?? 'all',
  });
  const wall = new CameraWallSignalling(io, hub, cameras, iceAccess, {
    loadTestTransports: media.loadTestTransports,
    shedSteps: () => media.shedSteps,
  });
  announceLoadShedding(io, media, http.log);
  if (turn) renewIceServers(io, (user) => turn.iceServers(user.username), turn.renewEveryMs);
  const signalling = new MeetingSignalling({
    io,
    media,
    store,
    attendance,
    log: http.log,
    wall,
    iceAccess,
    reconnectGraceMs: attendance.reconnectGraceMs,
    cluster,
  });
  signalling.onEventHandled((event, seconds) => metrics.signallingEventHandled(event, seconds));
  // the hub's own services, never a destination nor a source: these, and its HTTP port once it listens
  const ownServices = (): OwnService[] => {
    const address = http.server.address();
    return [
      ...(deps.ownServices ?? []),
      ...(address && typeof address === 'object' ? [{ ports: [address.port, address.port] as [number, number] }] : []),
    ];
  };
  // the SIP side (SIP=on): its endpoint, where its calls' media listen (the node's own address), where it may call
  const meetingRecordingsDir = deps.program?.recordingsDir ?? path.join(projectRoot, 'data', 'meeting-recordings');
  const program = new ProgramService({
    prisma,
    store,
    host: {
      meetings: signalling.meetings,
      existingRoom: (meetingId) => media.existingRoom(meetingId),
      onStatusChange: (listener) => signalling.lifecycle.onStatusChange(listener),
    },
    cipher,
    log: http.log,
    options: { recordingsDir: meetingRecordingsDir, ...deps.program },
    destinations: new DestinationPolicy({ allowed: deps.outputAllowed ?? [], ownServices }),
  });
  await program.start();
  const audit = new AuditLog(prisma);
  const roomSystems = new RoomSystemDirectory(prisma, cipher, audit);
  const sip = deps.sip && {
    endpoint: await SipEndpoint.listen(
      {
        port: deps.sip.port,
        listenIp: deps.sip.listenIp,
        announcedAddress: deps.sip.announcedAddress,
        userAgent: 'province-meeting-hub',
        tls: deps.sip.tls,
      },
      http.log,
    ),
    floorControl: await BfcpServer.listen({ host: deps.sip.listenIp, port: deps.sip.bfcpPort, log: http.log }),
    listenInfo: pool.nodeListenInfo(),
    targets: new DestinationPolicy({ allowed: deps.sip.allowed, ownServices }),
    redialMs: deps.sip.redialMs,
    program,
    promptDir: path.join(projectRoot, 'data', 'sip-prompts'),
    sites: {
      seatCall: (meetingId: string, siteCode: string, hangUp: () => void) => signalling.seatCall(meetingId, siteCode, hangUp),
      currentMeetingOf: (siteCode: string) => store.currentFor(siteCode),
    },
    roomSystems,
  };
  if (sip) {
    // the room systems register and call as their bridge points; one changed or unpaired by the admin registers anew
    sip.endpoint.useAccounts((username) => roomSystems.passwordOf(username));
    roomSystems.onChanged((username) => sip.endpoint.registrar.forget(username));
  }
  const ingests = new IngestService({
    prisma,
    io,
    host: {
      feedRoom: (meetingId) => signalling.feedRoom(meetingId),
      meetings: signalling.meetings,
      onStatusChange: (listener) => signalling.lifecycle.onStatusChange(listener),
    },
    log: http.log,
    cipher,
    listenInfo: pool.loopbackListenInfo(),
    options: deps.feeds,
    sources: new DestinationPolicy({ allowed: deps.feedAllowed ?? [], ownServices }),
    sip,
  });
  await ingests.start();
  let stopping = false;
  const notReadyReasons = async (): Promise<string[]> => {
    const reasons: string[] = [];
    if (stopping) reasons.push('the hub is stopping');
    if (pool.liveWorkers.length === 0) reasons.push('no live media worker');
    await pingDatabase().catch(() => reasons.push('the database does not answer'));
    return reasons;
  };
  await http.register(
    observabilityRoutes({ metrics, metricsToken: deps.metricsToken, notReadyReasons, workerCount: () => media.workerPool.size }),
  );
  // before the HTTP server closes (it would wait for the sites' websockets): tell them, end their presences now
  http.addHook('preClose', async () => {
    stopping = true;
    ingests.close();
    await sip?.endpoint.close();
    await sip?.floorControl.close();
    await program.close();
    await signalling.stop();
  });

  const throttle = new LoginThrottle({ ...defaultLoginThrottle, ...deps.loginThrottle });
  await http.register(bridgePointRoutes({ directory, audit }));
  await http.register(meetingMediaRoutes({ media, store }));
  const loginRequestsPerMinute = deps.loginRequestsPerMinute ?? defaultLoginRequestsPerMinute;
  await http.register(authRoutes({ auth, throttle, audit, loginRequestsPerMinute, demo: deps.demo ?? false }));
  const accounts = new AccountAdmin(prisma, auth, audit);
  const units = new UnitAdmin(prisma, audit);
  await http.register(accountRoutes({ accounts, audit }));
  await http.register(meetingRoutes({ store, lifecycle: signalling.lifecycle, audit }));
  const documents = new AgendaDocuments({ recordingsDir: meetingRecordingsDir, maxBytes: deps.agendaDocumentMaxBytes ?? 50 * 1024 ** 2 });
  await http.register(agendaRoutes({ store, documents, meetings: signalling.meetings, audit }));
  await http.register(ingestRoutes({ ingests, store, audit }));
  const heavyExports = new HeavyExports(deps.heavyExportSlots ?? 2);
  await http.register(programRoutes({ program, store, audit, exports: heavyExports }));
  await http.register(unitRoutes({ units }));
  await http.register(roomSystemRoutes({ roomSystems, registration: (username) => sip?.endpoint.registrar.get(username) }));
  const reports = new ReportService(prisma, store);
  await http.register(reportRoutes({ reports }));
  const minutes = new MeetingMinutes({
    minutes: new MinutesStore(prisma),
    meetings: store,
    reports,
    audit,
    province: deps.provinceName ?? 'An Giang',
  });
  await http.register(minutesRoutes({ minutes }));
  await http.register(cameraRoutes({ cameras, audit }));
  await http.register(counterRoutes({ cameras, audit }));
  if (cameras.recorder) {
    await http.register(recordingRoutes({ cameras, recorder: cameras.recorder, audit, exports: heavyExports }));
    await http.register(motionRoutes({ cameras, recorder: cameras.recorder, audit }));
  }
  await http.register(wallLayoutRoutes({ prisma }));
  await http.register(clusterRoutes({ cluster }));
  const provinceImport = new ProvinceImport({
    units: new UnitImporter(units),
    accounts: new AccountImporter(accounts, units),
    cameras: new CameraImporter(cameras, audit),
  });
  await http.register(importRoutes({ provinceImport }));
  const { caCertificate } = deps;
  if (caCertificate)
    http.get('/ca.crt', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('content-type', 'application/x-x509-ca-cert')
        .header('content-disposition', 'attachment; filename="hub-ca.crt"')
        .send(caCertificate),
    );

  const withPages = Boolean(clientDir && fs.existsSync(path.join(clientDir, 'index.html')));
  if (withPages) await http.register(fastifyStatic, { root: clientDir! });
  // Client-side routes fall back to the single page; an API path that is not there says so in words.
  http.setNotFoundHandler((request, reply) =>
    withPages && !request.url.startsWith('/api/')
      ? reply.sendFile('index.html')
      : reply.code(404).send(refusal(404, 'Not Found', said('access.noRoute'))),
  );

  http.addHook('onClose', async () => {
    await cluster?.leave();
    metrics.close();
    socketAccess.close();
    signalling.close();
    await cameras.close();
    await io.close();
    await attendance.flush();
    attendance.close();
  });
  return { http, io, attendance, cameras, routes };
}
