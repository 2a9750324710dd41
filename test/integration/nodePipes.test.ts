import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaLink, NodeRpc } from '../../cluster/index.js';
import { MediaServer, type MeetingRoom } from '../../media-server/index.js';
import { startRedis, type TestRedis } from '../support/clusterServices.js';
import { freePort } from '../support/freePort.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const meetingId = 'hop-hai-nut';
const clusterSecret = randomBytes(32).toString('hex');
const ssrc = 0x2222;

/** One RTP packet of VP8 (a 640×480 key frame's tag, or a delta frame's). */
function vp8Packet(sequence: number, keyFrame: boolean): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 0x80 | 101;
  header.writeUInt16BE(sequence & 0xffff, 2);
  header.writeUInt32BE((sequence * 3600) >>> 0, 4);
  header.writeUInt32BE(ssrc, 8);
  const payload = Buffer.from([0x10, keyFrame ? 0x50 : 0x51, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, 0, 0, 0, 0]);
  return Buffer.concat([header, payload]);
}

/**
 * Two hub nodes' SFUs (each its own mediasoup worker and port range) linked through a real Redis:
 * a camera produced on node A, a viewer on node B. The RTP crosses a PipeTransport pair between the
 * nodes (SRTP on), as it would between two machines.
 */
describe('a meeting’s producers piped between two nodes', () => {
  let redis: TestRedis;
  const clients: RedisClientType[] = [];
  const sockets: dgram.Socket[] = [];
  const servers: MediaServer[] = [];
  const rpcs: NodeRpc[] = [];
  const errors: unknown[] = [];
  let roomA: MeetingRoom;
  let roomB: MeetingRoom;
  let camera: dgram.Socket;
  let cameraPort = 0;
  let producerId = '';
  let sending: NodeJS.Timeout | undefined;
  /** Packets the camera on node A has sent: the test's clock for "nothing arrived meanwhile". */
  let sentByCamera = 0;
  const cameraSends = (packets: number) => {
    const until = sentByCamera + packets;
    return expect.poll(() => sentByCamera, { interval: 20 }).toBeGreaterThanOrEqual(until);
  };

  const node = async (nodeId: string, ports: number) => {
    const connect = async () => {
      const client = createClient({ url: redis.url }) as RedisClientType;
      await client.connect();
      clients.push(client);
      return client;
    };
    const rpc = await NodeRpc.listen(
      nodeId,
      { publisher: await connect(), subscriber: await connect() },
      { clusterSecret, onError: (e) => errors.push(e), onRejected: (e) => errors.push(e) },
    );
    rpcs.push(rpc);
    const media = await MediaServer.create({
      numWorkers: 1,
      listenIp: '127.0.0.1',
      rtcMinPort: ports,
      rtcMaxPort: ports + 199,
      peersPerRouter: 50,
    });
    servers.push(media);
    media.connectNodes({
      link: new MediaLink(rpc, await connect()),
      enableSrtp: true,
      unusedAfterMs: 1500,
      onError: (e) => errors.push(e),
    });
    return media;
  };
  const udp = async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
    return socket;
  };
  /** A viewer on node B: a plain transport to a local socket, counting the RTP that reaches it. */
  const viewer = async (name: string) => {
    const peer = await roomB.join({ peerId: `viewer-${name}`, bridgePointCode: `XA-${name}`, bridgePointName: name });
    roomB.setRtpCapabilities(peer.id, roomB.routerRtpCapabilities);
    const socket = await udp();
    const received = { packets: 0 };
    socket.on('message', (m) => {
      if ((m[1]! & 0x7f) < 64 || (m[1]! & 0x7f) > 95) received.packets++;
    });
    await peer.openTransport('recv', async (appData) => {
      const t = await peer.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        appData,
      });
      await t.connect({ ip: '127.0.0.1', port: socket.address().port });
      return t;
    });
    return { peer, received };
  };
  const exportsOnA = async () =>
    (await roomA.homeRouter.dump()).mapProducerIdConsumerIds.find((e) => e.key === producerId)?.values.length ?? 0;

  let redisPort = 0;
  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const a = await node('node-a', 45200);
    const b = await node('node-b', 45400);
    roomA = await a.room(meetingId);
    roomB = await b.room(meetingId);
    // the camera on node A: VP8 from a local socket, a key frame every second
    camera = await udp();
    const site = await roomA.join({ peerId: 'camera-site', bridgePointCode: 'SO-NV', bridgePointName: 'Sở Nội vụ' });
    const transport = await site.openTransport('send', async (appData) => {
      const t = await site.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        appData,
      });
      await t.connect({ ip: '127.0.0.1', port: camera.address().port });
      return t;
    });
    cameraPort = transport.tuple.localPort;
    const producer = await roomA.produce(site.id, {
      transportId: transport.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 101, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }] }],
        encodings: [{ ssrc }],
      },
    });
    producerId = producer.id;
    sending = setInterval(() => {
      sentByCamera++;
      camera.send(vp8Packet(sentByCamera, sentByCamera % 25 === 1), cameraPort, '127.0.0.1');
    }, 40);
  });
  afterAll(async () => {
    clearInterval(sending);
    for (const socket of sockets) socket.close();
    for (const media of servers) await media.close();
    for (const rpc of rpcs) await rpc.close();
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis?.stop();
  });

  it('imports the producer once for two viewers on the other node, and the pictures cross', async () => {
    expect(roomB.producerOrigin(producerId)).toBeUndefined();
    const one = await viewer('01');
    const two = await viewer('02');
    const consumers = await Promise.all(
      [one, two].map(async ({ peer }) => {
        const consumer = await roomB.consume(peer.id, producerId);
        await roomB.resumeConsumer(peer.id, consumer.id);
        return consumer;
      }),
    );
    expect(consumers.map((c) => c.appData.producerPeerId)).toEqual(['camera-site', 'camera-site']);
    await expect.poll(() => Math.min(one.received.packets, two.received.packets)).toBeGreaterThan(20);
    // one pipe consumer on node A for both viewers
    expect(await exportsOnA()).toBe(1);

    // the camera paused at its node: the viewers on the other get nothing more
    await roomA.pauseProducer('camera-site', producerId);
    // the viewers' consumers know it (their pages show the site's camera as paused): node A stopped sending before
    await expect.poll(() => consumers.map((c) => c.producerPaused)).toEqual([true, true]);
    await cameraSends(5);
    const paused = one.received.packets;
    // a second of the camera's packets later, not one of them reached node B's viewers
    await cameraSends(25);
    expect(one.received.packets).toBe(paused);
    await roomA.resumeProducer('camera-site', producerId);
    await expect.poll(() => one.received.packets).toBeGreaterThan(paused + 10);
    expect(consumers.map((c) => c.producerPaused)).toEqual([false, false]);

    // nobody on node B shows it any more: the import is released, and node A stops sending
    for (const [i, { peer }] of [one, two].entries()) roomB.closeConsumer(peer.id, consumers[i]!.id);
    await expect.poll(exportsOnA).toBe(0);
    expect(errors).toEqual([]);
  });

  it('keeps a simulcast camera’s top layer encoded while a viewer on the other node shows it large, and lets it go after', async () => {
    const site = await roomA.join({ peerId: 'simulcast-site', bridgePointCode: 'SO-YT', bridgePointName: 'Sở Y tế' });
    const transport = await site.openTransport('send', async (appData) => {
      const t = await site.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: true,
        appData,
      });
      return t;
    });
    const camera = await roomA.produce(site.id, {
      transportId: transport.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 101 }],
        encodings: [{ ssrc: 0x3330 }, { ssrc: 0x3331 }, { ssrc: 0x3332 }],
      },
    });
    const told: number[] = [];
    roomA.on('maxSpatialLayer', (peerId, producerId, layer) => {
      if (producerId === camera.id) told.push(layer);
    });
    const four = await viewer('04');
    const consumer = await roomB.consume(four.peer.id, camera.id, 2);
    await roomB.resumeConsumer(four.peer.id, consumer.id);
    // nobody on node A shows it: only node B's large tile keeps its top layer on, past the 2 s after
    // which node A's Dynacast would lower a layer nobody needs
    await sleep(3000);
    expect(told).toEqual([]);
    // node B's viewer stops showing it: node B's Dynacast lowers it after 2 s, node A's after 2 s more
    await roomB.pauseConsumer(four.peer.id, consumer.id);
    await expect.poll(() => told).toEqual([0]);
    roomA.closeProducer(site.id, camera.id);
  });

  it('closes the viewers’ consumers on the other node when the producer closes at its own', async () => {
    const three = await viewer('03');
    const consumer = await roomB.consume(three.peer.id, producerId);
    await roomB.resumeConsumer(three.peer.id, consumer.id);
    await expect.poll(() => three.received.packets).toBeGreaterThan(5);
    const closed = new Promise<string>((resolve) => roomB.once('consumerClosed', (_peerId, consumerId) => resolve(consumerId)));
    roomA.closeProducer('camera-site', producerId);
    expect(await closed).toBe(consumer.id);
    expect(errors).toEqual([]);
  });
});
