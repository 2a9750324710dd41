import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { FeedOptions } from '../../camera-gateway/index.js';
import { MediaServer, type LoadSheddingOptions } from '../../media-server/index.js';
import { defaultSamplePassword, openDatabase, seedSampleData, type Database, type DatabaseConfig, type Db } from '../../prisma/index.js';
import type { CreateMeetingRequest, MeetingDto } from '../../shared/meetings.js';
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { buildApp, type AppDeps, type HubApp } from '../../hub/index.js';
import type { TurnAccess } from '../../turn/index.js';
import { testTempDir } from '../support/tempDirs.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Which database the integration suite runs on: vitest's projects run it once per provider. */
export const testProvider = (process.env.HUB_TEST_DATABASE ?? 'sqlite') as DatabaseConfig['provider'];

/** An SQLite file in a temp dir removed when the test file ends. */
export function tempSqliteUrl(): string {
  return path.join(testTempDir('hub-test-'), 'hub.db');
}

/** Runs one statement on PostgreSQL as the test rig's admin (CREATE/DROP DATABASE). */
export async function postgresAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database of the suite's provider, and how to drop it. */
export async function tempDatabase(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  if (testProvider === 'sqlite') return { config: { provider: 'sqlite', url: tempSqliteUrl() }, drop: async () => undefined };
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error('HUB_TEST_DATABASE=postgresql needs TEST_POSTGRES_ADMIN_URL (npm test sets it)');
  const name = `hub_it_${randomBytes(6).toString('hex')}`;
  const admin = (sql: string) => postgresAdmin(adminUrl, sql);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { config: { provider: 'postgresql', url: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A camera row written straight to the database (no ONVIF device behind it), for what only needs the registry; `data` overrides. */
export function cameraRow(prisma: Db, data: Partial<Parameters<Db['camera']['create']>[0]['data']> = {}) {
  return prisma.camera.create({
    data: {
      name: 'Quầy 1',
      unitName: 'TTPVHCC',
      counter: 'Quầy 1',
      onvifAddress: 'http://127.0.0.1:9/onvif/device_service',
      username: 'onvif',
      passwordCipher: 'x',
      mainProfileToken: 'main',
      subProfileToken: 'sub',
      mainStreamUri: 'rtsp://127.0.0.1:9/main',
      subStreamUri: 'rtsp://127.0.0.1:9/sub',
      encoding: 'H264',
      ...data,
    },
  });
}

export interface TestHub {
  url: string;
  app: HubApp;
  media: MediaServer;
  database: Database;
  databaseConfig: DatabaseConfig;
  /** Signs in a sample account and returns its bearer token. */
  login(username: string): Promise<string>;
  /** A socket.io connection signed in as the user (or with no token at all). */
  connect(username?: string): Promise<TestSocket>;
  api<T = any>(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown; file?: { type: string; content: Buffer } },
  ): Promise<{ status: number; body: T; headers: Headers; raw: Buffer }>;
  /** Creates a meeting as the sample chair, inviting `codes`. */
  createMeeting(codes: string[], extra?: Partial<CreateMeetingRequest>): Promise<MeetingDto>;
  close(): Promise<void>;
}

/** A real hub on a free loopback port: a fresh database with sample data, mediasoup workers, fastify + socket.io. */
export async function startTestHub(
  options: {
    workers?: number;
    peersPerRouter?: number;
    loadShedding?: LoadSheddingOptions;
    reuse?: { config: DatabaseConfig };
    cameraFeed?: Partial<FeedOptions>;
    cameraMotion?: AppDeps['cameraMotion'];
    counterAttendance?: AppDeps['counterAttendance'];
    turn?: TurnAccess;
    metricsToken?: string;
    trustedProxies?: string[];
    heavyExportSlots?: number;
    sessions?: AppDeps['sessions'];
    loginThrottle?: AppDeps['loginThrottle'];
    cameraSubnets?: string[];
    snapshotLimits?: AppDeps['snapshotLimits'];
    recording?: AppDeps['recording'];
    feeds?: AppDeps['feeds'];
    program?: AppDeps['program'];
    agendaDocumentMaxBytes?: number;
    attendance?: AppDeps['attendance'];
    loginRequestsPerMinute?: number;
    /** The built client to serve (an end-to-end test's pages), else none. */
    clientDir?: string;
    /** The camera-credentials key (a hub restarted on the same database needs the same); else a key file of its own. */
    cameraKey?: Buffer;
    /** The hub's structured log (at info), one JSON line per entry, for what it must never hold. */
    logLines?: string[];
  } = {},
): Promise<TestHub> {
  const temp = options.reuse ? { config: options.reuse.config, drop: async () => undefined } : await tempDatabase();
  // what is opened so far is closed again when a later step fails, so a broken start leaves nothing running
  const undo: Array<() => Promise<void> | void> = [() => temp.drop()];
  const unwind = async (error: unknown): Promise<never> => {
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => undefined);
    throw error;
  };
  const database = await openDatabase(temp.config).catch(unwind);
  undo.push(() => database.close());
  const media = await seedSampleData(database.prisma)
    .then(() =>
      MediaServer.create({
        numWorkers: options.workers ?? 1,
        listenIp: '127.0.0.1',
        rtcMinPort: 43000,
        rtcMaxPort: 43999,
        peersPerRouter: options.peersPerRouter,
        loadShedding: options.loadShedding,
      }),
    )
    .catch(unwind);
  undo.push(() => media.close());
  const app = await buildApp({
    prisma: database.prisma,
    media,
    clientDir: options.clientDir,
    logLevel: options.logLines ? 'info' : 'silent',
    logStream: options.logLines && { write: (line: string) => options.logLines!.push(line) },
    cameraKey: options.cameraKey,
    cameraKeyFile: options.cameraKey ? undefined : path.join(testTempDir('hub-key-'), 'camera.key'),
    turn: options.turn,
    cameraFeed: options.cameraFeed,
    cameraMotion: options.cameraMotion,
    counterAttendance: options.counterAttendance,
    metricsToken: options.metricsToken,
    trustedProxies: options.trustedProxies,
    heavyExportSlots: options.heavyExportSlots,
    sessions: options.sessions,
    loginThrottle: options.loginThrottle,
    cameraSubnets: options.cameraSubnets,
    snapshotLimits: options.snapshotLimits,
    recording: options.recording,
    feeds: options.feeds,
    program: options.program,
    agendaDocumentMaxBytes: options.agendaDocumentMaxBytes,
    attendance: options.attendance,
    loginRequestsPerMinute: options.loginRequestsPerMinute,
  }).catch(unwind);
  undo.push(() => app.http.close());
  await app.http.listen({ port: 0, host: '127.0.0.1' }).catch(unwind);
  const { port } = app.http.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const sockets: TestSocket[] = [];
  const tokens = new Map<string, string>();

  const api: TestHub['api'] = async (method, route, { token, body, file } = {}) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(file ? { 'content-type': file.type } : body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: file ? new Uint8Array(file.content) : body !== undefined ? JSON.stringify(body) : undefined,
    });
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      raw,
      body: type.includes('json') && raw.length ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8'),
    };
  };
  const login = async (username: string) => {
    const known = tokens.get(username);
    if (known) return known;
    const { status, body } = await api('POST', '/api/auth/login', { body: { username, password: defaultSamplePassword } });
    if (status !== 200) throw new Error(`login ${username}: ${status}`);
    tokens.set(username, body.token);
    return body.token as string;
  };

  return {
    url,
    app,
    media,
    database,
    databaseConfig: temp.config,
    login,
    api,
    async connect(username) {
      const token = username ? await login(username) : undefined;
      const socket: TestSocket = io(url, { transports: ['websocket'], reconnection: false, auth: token ? { token } : {} });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async createMeeting(codes, extra = {}) {
      const start = new Date(Date.now() + 60_000);
      const { status, body } = await api('POST', '/api/meetings', {
        token: await login('chu-toa'),
        body: {
          title: 'Họp giao ban trực tuyến',
          hostLevel: 'PROVINCIAL',
          scheduledStart: start.toISOString(),
          scheduledEnd: new Date(start.getTime() + 3_600_000).toISOString(),
          invitedCodes: codes,
          ...extra,
        },
      });
      if (status !== 201) throw new Error(`create meeting: ${status} ${JSON.stringify(body)}`);
      return body as MeetingDto;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await app.http.close();
      await media.close();
      await database.close();
      await temp.drop();
    },
  };
}

/** RTP parameters of a microphone (Opus), for producers whose SFU state is what a test checks. */
export const opusParameters = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, parameters: {}, rtcpFeedback: [] }],
  encodings: [{ ssrc }],
  headerExtensions: [],
  rtcp: { cname: `site-${ssrc}` },
});

/** RTP parameters of a VP8 camera: one encoding per SSRC (three make SSRC-based simulcast). */
export const vp8Parameters = (...ssrcs: number[]) => ({
  codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }],
  encodings: ssrcs.map((ssrc) => ({ ssrc })),
});

/**
 * Joins the meeting and produces one stream on a send transport (RTP parameters only: no packets flow);
 * returns the producer and the socket's peer.
 */
export async function joinAndProduce(
  socket: TestSocket,
  meetingId: string,
  source: 'camera' | 'microphone',
  rtpParameters: ReturnType<typeof opusParameters> | ReturnType<typeof vp8Parameters>,
): Promise<{ producerId: string; peerId: string }> {
  const joined = await request(socket, 'meeting:join', { meetingId });
  if (!joined.ok || !joined.data.admitted) throw new Error(`join refused: ${JSON.stringify(joined)}`);
  const transport = await request(socket, 'transport:create', { direction: 'send' });
  const kind = source === 'camera' ? 'video' : 'audio';
  const produced = await request(socket, 'producer:create', { transportId: transport.data.id, kind, source, rtpParameters });
  if (!produced.ok) throw new Error(`producing refused: ${JSON.stringify(produced)}`);
  return { producerId: produced.data.producerId, peerId: joined.data.peerId };
}

/** Emits an event with an acknowledgement and returns what the server answered. */
export function request<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: unknown,
): Promise<AckResult<unknown> & { data?: any }> {
  const timed = socket.timeout(60_000);
  // tests also send payloads the schema refuses, so the payload is not typed by the event
  const acking = timed as unknown as { emitWithAck(e: string, p: unknown): Promise<AckResult<unknown>> };
  return acking.emitWithAck(event, payload);
}

/** The next `event` the socket receives that satisfies `predicate`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args[0]);
    };
    socket.on(event, listener as never);
  });
}
