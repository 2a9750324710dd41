import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaServer } from '../../media-server/index.js';

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
});
