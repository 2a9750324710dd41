import dgram from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { meetingMediaCodecs } from '../../media-server/mediaCodecs.js';
import { ProgramSender } from '../../media-server/ProgramSender.js';
import { ProgramComposer } from '../../program/index.js';
import { parseRtp } from '../../program/rtp.js';
import { RtpReorderBuffer } from '../../program/RtpReorderBuffer.js';
import { VideoDepacketizer } from '../../program/VideoDepacketizer.js';

/** What a room system takes the program's picture as: H.264 Constrained Baseline, packetization mode 1 (in the router's payload type, which the hub offered). */
const roomSystemCapabilities: types.RtpCapabilities = {
  codecs: [
    {
      kind: 'video',
      mimeType: 'video/H264',
      preferredPayloadType: 109,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
      rtcpFeedback: [
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
      ],
    },
  ],
  headerExtensions: [],
};

describe("the program sent back into the meeting's router for SIP calls", () => {
  let worker: types.Worker;
  let router: types.Router;
  let composer: ProgramComposer | undefined;
  let sender: ProgramSender | undefined;
  const sockets: dgram.Socket[] = [];

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 44800, rtcMaxPort: 44899 });
    router = await worker.createRouter({ mediaCodecs: meetingMediaCodecs });
  });
  afterEach(() => {
    composer?.close();
    sender?.close();
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => worker?.close());

  it("is one H.264 stream a call receives whole, and a call's key-frame request makes the encoder send one at once", async () => {
    composer = await ProgramComposer.start({ size: { width: 320, height: 180 } });
    const held = new Set<string>();
    sender = await ProgramSender.open({
      router,
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      held,
      producerClosed: (producerId) => held.delete(producerId),
    });
    expect(held).toEqual(new Set([sender.video.producerId]));
    // key frames unasked only every ten minutes: a key frame after the request is the request's
    composer.sendVideo(sender.video, { keyFrameEverySeconds: 600 });
    let requests = 0;
    sender.on('keyFrameRequested', (view) => {
      requests++;
      composer!.requestVideoKeyFrame(view);
    });

    // the room system: a socket the call's transport sends to
    const roomSystem = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => roomSystem.bind(0, '127.0.0.1', resolve));
    sockets.push(roomSystem);
    const call = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await call.connect({ ip: '127.0.0.1', port: roomSystem.address().port });
    const consumer = await call.consume({ producerId: sender.video.producerId, rtpCapabilities: roomSystemCapabilities });
    const payloadType = consumer.rtpParameters.codecs[0]!.payloadType;
    expect(consumer.rtpParameters.codecs[0]!.mimeType).toBe('video/H264');

    const order = new RtpReorderBuffer();
    const depacketizer = new VideoDepacketizer('h264');
    const frames: Array<'key' | 'delta' | 'lost'> = [];
    roomSystem.on('message', (message) => {
      const packet = parseRtp(message);
      if (!packet || packet.payloadType !== payloadType) return;
      for (const ordered of order.push(packet)) {
        const frame = depacketizer.push(ordered);
        if (frame !== undefined) frames.push(frame === 'lost' ? 'lost' : frame.keyFrame ? 'key' : 'delta');
      }
    });
    // whole frames arrive, the first a key frame (the stream's start), then pictures that refer to it
    await expect.poll(() => frames.filter((f) => f === 'delta').length, { timeout: 60_000 }).toBeGreaterThan(25);
    expect(frames[0]).toBe('key');
    expect(frames).not.toContain('lost');

    // the call asks for a key frame (as its PLI would): the SFU passes it on, and one comes
    const keyFramesBefore = frames.filter((f) => f === 'key').length;
    await consumer.requestKeyFrame();
    await expect.poll(() => frames.filter((f) => f === 'key').length, { timeout: 60_000 }).toBeGreaterThan(keyFramesBefore);
    expect(requests).toBeGreaterThan(0);
  });
});
