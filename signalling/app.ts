import fs from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Server as SocketServer } from 'socket.io';
import { CameraGateway, CredentialCipher, OnvifClient, type FeedOptions } from '../camera-gateway/index.js';
import type { MediaServer } from '../media-server/index.js';
import { HubMetrics, observabilityRoutes } from '../observability/index.js';
import { projectRoot, type Db } from '../prisma/index.js';
import type { TurnAccess } from '../turn/index.js';
import { authRoutes } from './auth/authRoutes.js';
import { AuthService, type AuthenticatedUser } from './auth/AuthService.js';
import { BridgePointDirectory } from './BridgePointDirectory.js';
import { httpErrorHandler } from './httpErrors.js';
import { cameraRoutes } from './cameras/cameraRoutes.js';
import { CameraWallSignalling } from './CameraWallSignalling.js';
import { AttendanceRecorder, type AttendanceOptions } from './meetings/AttendanceRecorder.js';
import { meetingRoutes } from './meetings/meetingRoutes.js';
import { MeetingStore } from './meetings/MeetingStore.js';
import { MeetingSignalling } from './MeetingSignalling.js';
import { reportRoutes } from './reports/reportRoutes.js';
import { ReportService } from './reports/ReportService.js';
import { restRoutes } from './restRoutes.js';
import { registerSecurityHeaders } from './securityHeaders.js';
import type { HubServer, IceAccess } from './SignallingTypes.js';

export interface AppDeps {
  prisma: Db;
  media: MediaServer;
  /** The built client (vite output); served at / when present. */
  clientDir?: string;
  logLevel?: string;
  attendance?: AttendanceOptions;
  /** The key for camera passwords at rest (CAMERA_CREDENTIALS_KEY); else the key file below. */
  cameraKey?: Buffer;
  /** Where the camera-credentials key lives when no key is given (created on first use). */
  cameraKeyFile?: string;
  cameraFeed?: Partial<FeedOptions>;
  /** Serve HTTPS with this key and certificate (+ chain); plain HTTP without. */
  https?: { key: Buffer; cert: Buffer };
  /** The hub's own CA certificate, offered at GET /ca.crt for bridge-point PCs to trust. */
  caCertificate?: Buffer;
  /** The hub's TURN server, handed to every browser with credentials of its own; none without. */
  turn?: TurnAccess;
  /** Bearer token for /metrics (METRICS_TOKEN); without one, only loopback may scrape. */
  metricsToken?: string;
}

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
}

/** fastify (REST + OpenAPI at /docs + the client) and socket.io on the same HTTP server. */
export async function buildApp(deps: AppDeps): Promise<HubApp> {
  const { prisma, media, clientDir, logLevel = 'info', attendance: attendanceOptions, https } = deps;
  // an HTTPS server through serverFactory keeps one instance type for both (socket.io attaches the same way)
  const serverFactory: FastifyServerFactory | undefined = https
    ? (handler) => createHttpsServer({ key: https.key, cert: https.cert }, handler)
    : undefined;
  const http = Fastify({ logger: { level: logLevel }, serverFactory }).withTypeProvider<ZodTypeProvider>();
  await registerSecurityHeaders(http, { https: Boolean(https) });
  http.setValidatorCompiler(validatorCompiler);
  http.setSerializerCompiler(serializerCompiler);
  http.setErrorHandler(httpErrorHandler);

  await http.register(fastifySwagger, {
    openapi: {
      info: { title: 'Province meeting hub API', version: '0.2.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await http.register(fastifySwaggerUi, { routePrefix: '/docs' });

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

  const auth = new AuthService(prisma);
  const store = new MeetingStore(prisma);
  const attendance = new AttendanceRecorder(prisma, attendanceOptions);
  // Presences left open by a crash end at their last heartbeat; a site back in time reopens its own.
  await attendance.closeOrphans();
  const io: HubServer = new SocketServer(http.server, { serveClient: false, maxHttpBufferSize: 256 * 1024, ...heartbeat });
  const hub = await media.cameraHub();
  const cameras = new CameraGateway({
    prisma,
    hub,
    cipher: CredentialCipher.fromKeyOrFile(deps.cameraKey, deps.cameraKeyFile ?? path.join(projectRoot, 'data', 'camera-credentials.key')),
    onvif: new OnvifClient(),
    log: http.log,
    options: deps.cameraFeed,
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
  const wall = new CameraWallSignalling(io, hub, cameras, iceAccess, media.loadTestTransports);
  const signalling = new MeetingSignalling({
    io,
    media,
    auth,
    store,
    attendance,
    log: http.log,
    wall,
    iceAccess,
    reconnectGraceMs: attendance.reconnectGraceMs,
  });
  const pingDatabase = async () => {
    await prisma.$queryRaw`SELECT 1`;
  };
  const metrics = new HubMetrics({
    pool,
    meetings: () => signalling.presenceCounts(),
    cameraStatuses: () => cameras.list().map((camera) => camera.status),
    pingDatabase,
  });
  let stopping = false;
  const notReadyReasons = async (): Promise<string[]> => {
    const reasons: string[] = [];
    if (stopping) reasons.push('the hub is stopping');
    if (pool.liveWorkers.length === 0) reasons.push('no live media worker');
    await pingDatabase().catch(() => reasons.push('the database does not answer'));
    return reasons;
  };
  await http.register(observabilityRoutes({ metrics, metricsToken: deps.metricsToken, notReadyReasons }));
  // before the HTTP server closes (it would wait for the sites' websockets): tell them, end their presences now
  http.addHook('preClose', async () => {
    stopping = true;
    await signalling.stop();
  });

  await http.register(restRoutes({ directory, media, auth }));
  await http.register(authRoutes(auth));
  await http.register(meetingRoutes({ auth, store, signalling }));
  await http.register(reportRoutes({ auth, reports: new ReportService(prisma, store) }));
  await http.register(cameraRoutes({ auth, cameras }));
  const { caCertificate } = deps;
  if (caCertificate)
    http.get('/ca.crt', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('content-type', 'application/x-x509-ca-cert')
        .header('content-disposition', 'attachment; filename="hub-ca.crt"')
        .send(caCertificate),
    );

  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    await http.register(fastifyStatic, { root: clientDir });
    // Client-side routes fall back to the single page.
    http.setNotFoundHandler((request, reply) =>
      request.url.startsWith('/api/')
        ? reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such route' })
        : reply.sendFile('index.html'),
    );
  }

  http.addHook('onClose', async () => {
    metrics.close();
    signalling.close();
    cameras.close();
    await io.close();
    await attendance.flush();
    attendance.close();
  });
  return { http, io, attendance, cameras };
}
