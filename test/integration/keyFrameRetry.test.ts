import dgram from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyFrameUntilSent } from '../../media-server/keyFrameUntilSent.js';

const ssrc = 0x1111;

/** One RTP packet of VP8 (descriptor S=1, the frame tag of a key frame of 640×480, or of a delta frame). */
function vp8Packet(sequence: number, keyFrame: boolean): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 0x80 | 101; // marker, payload type
  header.writeUInt16BE(sequence, 2);
  header.writeUInt32BE(sequence * 3000, 4);
  header.writeUInt32BE(ssrc, 8);
  const payload = Buffer.from([0x10, keyFrame ? 0x50 : 0x51, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, 0, 0, 0, 0]);
  return Buffer.concat([header, payload]);
}

describe('a slide viewer’s key frame, asked for until it is sent', () => {
  let worker: types.Worker;
  let router: types.Router;
  const sockets: dgram.Socket[] = [];

  const udp = async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 44900, rtcMaxPort: 44999 });
    router = await worker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
  });
  afterAll(() => {
    vi.useRealTimers();
    for (const socket of sockets) socket.close();
    worker?.close();
  });

  it('repeats the request while no key frame comes, and stops once the consumer has sent one', async () => {
    // the presenter: RTP in from a local socket, which also receives the SFU's requests (RTCP PLI)
    const presenter = await udp();
    const sending = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await sending.connect({ ip: '127.0.0.1', port: presenter.address().port });
    const producer = await sending.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 101, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }] }],
        encodings: [{ ssrc }],
      },
    });
    let requestsToPresenter = 0;
    await producer.enableTraceEvent(['pli']);
    producer.on('trace', (trace) => {
      if (trace.type === 'pli' && trace.direction === 'out') requestsToPresenter++;
    });
    // the presenter has been sending (a delta frame: the SFU knows its stream), then its slide stood still
    const port = sending.tuple.localPort;
    presenter.send(vp8Packet(1, false), port, '127.0.0.1');
    await expect.poll(async () => (await producer.getStats()).length).toBeGreaterThan(0);
    // the late joiner
    const viewer = await udp();
    const receiving = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
    });
    await receiving.connect({ ip: '127.0.0.1', port: viewer.address().port });
    const consumer = await receiving.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
    await consumer.resume();

    // the retry's clock is the test's: each tick is one more request, whatever the machine's load
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let requests = 0;
    const requestKeyFrame = consumer.requestKeyFrame.bind(consumer);
    consumer.requestKeyFrame = () => {
      requests++;
      return requestKeyFrame();
    };
    const retry = await keyFrameUntilSent(consumer, { intervalMs: 200, attempts: 50 });
    // mediasoup alone asks twice (at once, and again a second later if no key frame came), then waits
    // for the next request: the repeated ones keep the presenter asked
    await expect
      .poll(
        () => {
          vi.advanceTimersByTime(200);
          return requestsToPresenter;
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(3);

    const received = new Promise<void>((resolve) => viewer.once('message', () => resolve()));
    presenter.send(vp8Packet(2, true), port, '127.0.0.1');
    await received;
    expect(await retry.ended).toBe('sent');
    const afterKeyFrame = requests;
    vi.advanceTimersByTime(200 * 20);
    expect(requests).toBe(afterKeyFrame);
    expect(vi.getTimerCount()).toBe(0);
  });
});
