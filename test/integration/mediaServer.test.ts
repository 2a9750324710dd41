import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraHub, MediaServer, WorkerPool } from '../../media-server/index.js';

describe('media-server', () => {
  let media: MediaServer;

  beforeAll(async () => {
    media = await MediaServer.create({ numWorkers: 2, listenIp: '127.0.0.1', rtcMinPort: 44000, rtcMaxPort: 44999, peersPerRouter: 1 });
  });
  afterAll(async () => media.close());

  it('runs a real mediasoup worker that answers', async () => {
    const { worker } = media.workerPool.slot(0);
    const usage = await worker.getResourceUsage();
    expect(usage.ru_maxrss).toBeGreaterThan(0);
    const dump = await worker.dump();
    expect(dump.pid).toBe(worker.pid);
  });

  it('creates one router per meeting with Opus, VP8 and H.264', async () => {
    const room = await media.room('hop-ban-dau');
    const mimeTypes = room.routerRtpCapabilities.codecs?.map((c) => c.mimeType) ?? [];
    expect(mimeTypes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
    expect(await media.room('hop-ban-dau')).toBe(room);
    expect(await media.room('hop-khac')).not.toBe(room);
  });

  it('spreads a meeting over two workers once a router is full', async () => {
    const room = await media.room('hop-hai-worker');
    await room.join({ peerId: 'a', bridgePointCode: 'SO-NV', bridgePointName: 'Sở Nội vụ' });
    await room.join({ peerId: 'b', bridgePointCode: 'SO-TC', bridgePointName: 'Sở Tài chính' });
    const { routers } = room.stats();
    expect(routers.map((r) => r.workerIndex).sort()).toEqual([0, 1]);
    expect(new Set(routers.map((r) => r.routerId)).size).toBe(2);
    room.leave('a');
    room.leave('b');
    expect(await media.existingRoom('hop-hai-worker')).toBeUndefined();
  });

  it('replaces a worker that dies', async () => {
    const before = media.workerPool.slot(1).worker;
    const replaced = new Promise<number>((resolve) => media.workerPool.once('workerReplaced', resolve));
    process.kill(before.pid, 'SIGKILL');
    expect(await replaced).toBe(1);
    const after = media.workerPool.slot(1).worker;
    expect(after.pid).not.toBe(before.pid);
    expect((await after.getResourceUsage()).ru_maxrss).toBeGreaterThan(0);
  });

  it('keeps retrying when the replacement worker cannot start, and serves from the others meanwhile', async () => {
    let starts = 0;
    // the first two replacements fail the way a worker binary that cannot start does
    const createWorker = async (settings: types.WorkerSettings) => {
      starts++;
      if (starts === 3 || starts === 4) throw new Error(`spawn failed (attempt ${starts})`);
      return mediasoup.createWorker(settings);
    };
    const pool = await WorkerPool.create({
      numWorkers: 2,
      listenIp: '127.0.0.1',
      rtcMinPort: 45000,
      rtcMaxPort: 45999,
      createWorker,
      replaceRetryMs: 50,
    });
    try {
      const failures: Array<[number, string, number]> = [];
      pool.on('workerReplaceFailed', (index, error, retryInMs) => failures.push([index, error.message, retryInMs]));
      const replaced = new Promise<number>((resolve) => pool.once('workerReplaced', resolve));
      const dying = pool.slot(0).worker;
      const died = new Promise<void>((resolve) => dying.once('died', () => resolve()));
      process.kill(dying.pid, 'SIGKILL');
      await died;
      expect(pool.leastLoaded().index).toBe(1);
      expect(await replaced).toBe(0);
      expect(failures).toEqual([
        [0, 'spawn failed (attempt 3)', 50],
        [0, 'spawn failed (attempt 4)', 100],
      ]);
      expect(pool.slot(0).worker.closed).toBe(false);
      expect((await pool.slot(0).worker.getResourceUsage()).ru_maxrss).toBeGreaterThan(0);
    } finally {
      pool.close();
    }
  });

  it('makes the camera wall again when its only worker dies: ingests are told, and both ingests and stations work on the new router', async () => {
    const pool = await WorkerPool.create({
      numWorkers: 1,
      listenIp: '127.0.0.1',
      rtcMinPort: 45000,
      rtcMaxPort: 45999,
      replaceRetryMs: 50,
    });
    const hub = await CameraHub.create(pool);
    try {
      const rtp = { payloadType: 102, ssrc: 0x1234, profileLevelId: '4d0032' };
      const ingest = await hub.createIngest(rtp);
      const lost = new Promise<void>((resolve) => ingest.onLost(resolve));
      hub.setRtpCapabilities('station', hub.routerRtpCapabilities);
      await hub.createViewerTransport('station');
      const rebuilt = new Promise<number>((resolve) => hub.once('rebuilt', resolve));
      const dead = pool.slot(0).worker.pid;

      process.kill(dead, 'SIGKILL');
      await lost;
      // no live worker yet: a pull that starts now waits for the new router instead of failing
      const pulledMeanwhile = hub.createIngest(rtp);
      expect(await rebuilt).toBe(0);
      expect(pool.slot(0).worker.pid).not.toBe(dead);
      expect(hub.workerIndex).toBe(0);
      const again = await pulledMeanwhile;
      expect(again.producer.closed).toBe(false);

      // the station's transport went with the old router: it sets up a new one and consumes the new pull
      hub.setRtpCapabilities('station', hub.routerRtpCapabilities);
      await hub.createViewerTransport('station');
      const consumer = await hub.consume('station', again.producer.id);
      expect(consumer.closed).toBe(false);
      expect(consumer.producerId).toBe(again.producer.id);
    } finally {
      hub.close();
      pool.close();
    }
  });

  it('spreads a meeting over the workers by their load with no setting: a small one stays on one router, and the camera wall counts', async () => {
    const media = await MediaServer.create({ numWorkers: 2, listenIp: '127.0.0.1', rtcMinPort: 45000, rtcMaxPort: 45999 });
    try {
      const join = async (meetingId: string, sites: number) => {
        const room = await media.room(meetingId);
        const workers: number[] = [];
        for (let i = 0; i < sites; i++)
          workers.push(
            (await room.join({ peerId: `${meetingId}-${i}`, bridgePointCode: `XA-${i}`, bridgePointName: `Xã ${i}` })).workerIndex,
          );
        return workers;
      };
      const perWorker = (workers: number[]) => [0, 1].map((index) => workers.filter((w) => w === index).length);

      // a commune meeting: all on one router, nothing piped
      expect(new Set(await join('small', 6)).size).toBe(1);
      // the merged province's: over both workers, each carrying a good part of it
      const large = perWorker(await join('large', 60));
      expect(Math.min(...large)).toBeGreaterThan(15);

      // the camera wall's streams are load too: a meeting starting now goes to the other worker
      const wall = await media.cameraHub();
      for (let n = 0; n < 250; n++) await wall.createIngest({ payloadType: 102, ssrc: 0x2000 + n, profileLevelId: '4d0032' });
      const [home] = await join('after-wall', 1);
      expect(home).not.toBe(wall.workerIndex);
    } finally {
      await media.close();
    }
  });
});
