import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { MediaServer } from '../../media-server/index.js';
import { openDatabase, seedSampleData, type Database } from '../../prisma/index.js';
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { buildApp, type HubApp } from '../../signalling/index.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestHub {
  url: string;
  app: HubApp;
  media: MediaServer;
  database: Database;
  connect(): Promise<TestSocket>;
  close(): Promise<void>;
}

export function tempSqliteUrl(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-')), 'hub.db');
}

/** A real hub on a free loopback port: SQLite with sample data, mediasoup workers, fastify + socket.io. */
export async function startTestHub(options: { workers?: number; peersPerRouter?: number } = {}): Promise<TestHub> {
  const database = await openDatabase({ provider: 'sqlite', url: tempSqliteUrl() });
  await seedSampleData(database.prisma);
  const media = await MediaServer.create({
    numWorkers: options.workers ?? 1,
    listenIp: '127.0.0.1',
    rtcMinPort: 43000,
    rtcMaxPort: 43999,
    peersPerRouter: options.peersPerRouter ?? 200,
  });
  const app = await buildApp({ prisma: database.prisma, media, logLevel: 'silent' });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.http.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const sockets: TestSocket[] = [];
  return {
    url,
    app,
    media,
    database,
    async connect() {
      const socket: TestSocket = io(url, { transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await app.http.close();
      await media.close();
      await database.close();
    },
  };
}

/** Emits an event with an acknowledgement and returns what the server answered. */
export function request<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: unknown,
): Promise<AckResult<unknown> & { data?: any }> {
  const timed = socket.timeout(5000);
  const emit = timed.emitWithAck as (e: string, p: unknown) => Promise<AckResult<unknown>>;
  return emit.call(timed, event, payload);
}
