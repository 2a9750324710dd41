import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { MeetingEngine } from '../../client/src/meeting/MeetingEngine.js';
import type { ClosedReason } from '../../client/src/meeting/MeetingEngineTypes.js';
import { ReconnectPolicy } from '../../client/src/meeting/ReconnectPolicy.js';

type Ack = (result: unknown) => void;

/**
 * A stand-in hub speaking the page's socket protocol: it answers meeting:join and meeting:leave, counts them,
 * and lets a test drop, close or refuse connections. The engine under test is the page's own.
 */
async function standInHub(options: { holdJoin?: (socket: Socket) => boolean } = {}) {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  const hub = { joins: 0, leaves: 0, connections: 0, refuseConnections: false, sockets: [] as Socket[], io };
  io.use((_socket, next) => next(hub.refuseConnections ? new Error('UNAUTHENTICATED') : undefined));
  io.on('connection', (socket) => {
    hub.connections++;
    hub.sockets.push(socket);
    socket.on('meeting:join', (_payload: unknown, ack: Ack) => {
      hub.joins++;
      if (options.holdJoin?.(socket)) return;
      ack({ ok: true, data: { admitted: false } });
    });
    socket.on('meeting:leave', (_payload: unknown, ack: Ack) => {
      hub.leaves++;
      ack({ ok: true, data: {} });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const close = async () => {
    await io.close();
  };
  return { hub, url, close, lastSocket: () => hub.sockets.at(-1)! };
}

describe('the page’s meeting engine (its connection, rejoins and stops)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function rig(options: Parameters<typeof standInHub>[0] = {}, policy?: ReconnectPolicy) {
    const hub = await standInHub(options);
    const events: string[] = [];
    let rejoinFails = false;
    const engine = new MeetingEngine({
      serverUrl: hub.url,
      policy,
      rejoin: async () => {
        await engine.joinMeeting('m1');
        if (rejoinFails) throw new Error('a transport was refused');
      },
    });
    engine.on('restarting', () => events.push('restarting'));
    engine.on('closed', (reason: ClosedReason) => events.push(`closed:${reason}`));
    engine.on('failed', (error) => events.push(`failed:${error.message}`));
    cleanups.push(hub.close, () => engine.close());
    return { ...hub, engine, events, failRejoins: () => (rejoinFails = true) };
  }

  it('joins, and after the hub drops the connection it restarts and joins again by itself', async () => {
    const { hub, engine, events, lastSocket } = await rig();
    await engine.start(async () => {
      await engine.joinMeeting('m1');
    });
    expect(engine.phase).toBe('connected');
    lastSocket().disconnect(true);
    await expect.poll(() => hub.joins).toBe(2);
    await expect.poll(() => engine.phase).toBe('connected');
    expect(events).toEqual(['restarting']);
    expect(hub.connections).toBe(2);
  });

  it('stops with the hub’s reason when the meeting is closed, and does not come back', async () => {
    const { hub, engine, events, lastSocket } = await rig();
    await engine.start(async () => {
      await engine.joinMeeting('m1');
    });
    lastSocket().emit('meeting:closed', { reason: 'removed' });
    lastSocket().disconnect(true);
    await expect.poll(() => events).toEqual(['closed:removed']);
    expect(engine.phase).toBe('stopped');
    // socket.io does not reconnect after the server closed it; only the engine could, and it must not
    expect(engine.signal.socket.active).toBe(false);
    expect(hub.joins).toBe(1);
  });

  it('stops as signed out when the reconnect after a lost line is refused for the session', async () => {
    const { hub, engine, events, lastSocket } = await rig();
    await engine.start(async () => {
      await engine.joinMeeting('m1');
    });
    hub.refuseConnections = true;
    // the line is lost (not closed by the hub): socket.io reconnects by itself and is refused
    lastSocket().conn.close();
    await expect.poll(() => events).toEqual(['restarting', 'closed:signedOut']);
    expect(engine.phase).toBe('stopped');
  });

  it('takes a drop while the first join is under way for a blink, not a failure, and joins once connected', async () => {
    const { hub, engine, events } = await rig({
      holdJoin: (socket) => {
        if (hub.joins > 1) return false;
        socket.disconnect(true);
        return true;
      },
    });
    await engine.start(async () => {
      await engine.joinMeeting('m1');
    });
    await expect.poll(() => hub.joins).toBe(2);
    await expect.poll(() => engine.phase).toBe('connected');
    expect(events).toEqual(['restarting']);
  });

  it('lets the hub go of each half-made rejoin and gives up after the policy’s last attempt', async () => {
    const policy = new ReconnectPolicy({ delaysMs: [0, 0, 0], jitterMs: 0 });
    const { hub, engine, events, lastSocket, failRejoins } = await rig({}, policy);
    await engine.start(async () => {
      await engine.joinMeeting('m1');
    });
    failRejoins();
    lastSocket().disconnect(true);
    await expect.poll(() => events).toEqual(['restarting', 'failed:Không vào lại được cuộc họp sau khi mất kết nối: hãy tải lại trang.']);
    expect(engine.phase).toBe('stopped');
    expect(hub.joins).toBe(1 + 3);
    expect(hub.leaves).toBe(3);
  });
});
