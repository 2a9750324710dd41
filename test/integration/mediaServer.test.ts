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

  it('puts a SIP call on a router of its own on the calls’ worker, numbered as its far end numbers its codecs; the sites and the call consume each other; that worker dying takes the call out', async () => {
    const room = await media.room('hop-sip');
    const h264 = { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 };
    // baresip's numbering: Opus 96, H.264 97 (the meeting's router has others)
    const ownCodecs: types.RouterRtpCodecCapability[] = [
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 96 },
      { kind: 'video', mimeType: 'video/H264', clockRate: 90000, parameters: h264, preferredPayloadType: 97 },
    ];
    const call = await room.join({ peerId: 'call', bridgePointCode: 'FEED-CALL', bridgePointName: 'Phòng họp (SIP)' }, ownCodecs);
    await room.join({ peerId: 'site', bridgePointCode: 'SO-NV', bridgePointName: 'Sở Nội vụ' });
    const callWorker = await media.workerPool.callWorker();
    expect(media.workerPool.workers.map((slot) => slot.worker.pid)).not.toContain(callWorker.pid);

    // the site's microphone reaches the call in the call's numbering
    const siteSend = await room.createLoadTestTransport('site', 'send');
    const microphone = await room.produce('site', {
      transportId: siteSend.id,
      kind: 'audio',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] },
      source: 'microphone',
    });
    room.setRtpCapabilities('call', call.router.rtpCapabilities);
    await room.createLoadTestTransport('call', 'recv');
    const heard = await room.consume('call', microphone.id);
    expect(heard.rtpParameters.codecs[0]!.payloadType).toBe(96);

    // the call's camera reaches the site in the meeting's numbering
    const callSend = await room.createLoadTestTransport('call', 'send');
    const camera = await room.produce('call', {
      transportId: callSend.id,
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/H264', payloadType: 97, clockRate: 90000, parameters: h264 }],
        encodings: [{ ssrc: 2222 }],
      },
      source: 'camera',
    });
    room.setRtpCapabilities('site', room.routerRtpCapabilities);
    await room.createLoadTestTransport('site', 'recv');
    const seen = await room.consume('site', camera.id, 0);
    const meetingH264 = room.routerRtpCapabilities.codecs!.find(
      (c) => c.mimeType === 'video/H264' && c.parameters?.['profile-level-id'] === '42e01f',
    );
    expect(seen.rtpParameters.codecs[0]!.payloadType).toBe(meetingH264!.preferredPayloadType);

    // the calls' worker dies: the call is taken out of the meeting, the site stays; the next call gets a new worker
    const evicted = new Promise<string[]>((resolve) => room.once('peersEvicted', (peerIds) => resolve([...peerIds])));
    process.kill(callWorker.pid, 'SIGKILL');
    expect(await evicted).toEqual(['call']);
    expect([...room.peers].map((peer) => peer.id)).toEqual(['site']);
    const next = await room.join({ peerId: 'call-2', bridgePointCode: 'FEED-CALL2', bridgePointName: 'Phòng họp 2 (SIP)' }, ownCodecs);
    expect((await media.workerPool.callWorker()).pid).not.toBe(callWorker.pid);
    expect(next.router.closed).toBe(false);
    room.leave('call-2');
    room.leave('site');
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
