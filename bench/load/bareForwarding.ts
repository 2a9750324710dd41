import * as mediasoup from 'mediasoup';
import { meetingMediaCodecs } from '../../media-server/mediaCodecs.js';
import { withoutBandwidthEstimation } from './capabilities.js';
import type { SiteClip } from './clip.js';
import { SiteReceiver } from './SiteReceiver.js';
import { SiteSender } from './SiteSender.js';
import { SrtpSession } from './SrtpSession.js';

const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
const cryptoSuite = 'AES_CM_128_HMAC_SHA1_80' as const;
const srtp = { enableSrtp: true, srtpCryptoSuite: cryptoSuite, rtcpMux: true, comedia: false } as const;
/** Top-layer packets a second of one camera of the clip (1.5 Mbit/s in 1150-byte payloads, measured). */
const topLayerPps = 170;

/**
 * Bare mediasoup, no signalling, shaped like the meeting it is compared with: one worker and router,
 * simulcast cameras (the synthetic site's sender) into SRTP PlainTransports, and `viewers` SRTP
 * PlainTransports (each to a socket of its own) consuming cameras' top layers round-robin, with as
 * many consumers as forward about `packetsPerSecond` and as many cameras as give each `fanOut`
 * consumers. Worker CPU per forwarded packet over `seconds`.
 */
export async function bareForwardingCost(
  clip: SiteClip,
  { viewers, fanOut, packetsPerSecond, seconds }: { viewers: number; fanOut: number; packetsPerSecond: number; seconds: number },
): Promise<{ usPerPacket: number; forwarded: number; producers: number; consumers: number }> {
  const consumerCount = Math.max(1, Math.round(packetsPerSecond / topLayerPps));
  const producers = Math.max(1, Math.round(consumerCount / fanOut));
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const senders: SiteSender[] = [];
  const receivers: SiteReceiver[] = [];
  const pacer = setInterval(() => {
    const now = performance.now();
    for (const sender of senders) sender.tick(now);
  }, 5);
  try {
    const router = await worker.createRouter({ mediaCodecs: meetingMediaCodecs });
    const producerIds: string[] = [];
    for (let p = 0; p < producers; p++) {
      const local = new SrtpSession();
      const base = 0x5100 + p * 16;
      const plan = {
        videoSsrcs: [base + 1, base + 2, base + 3],
        audioSsrc: base + 10,
        videoPayloadType: 101,
        audioPayloadType: 100,
        audioLevelExtensionId: 1,
      };
      const sender = new SiteSender(clip, plan, local);
      senders.push(sender);
      const ingress = await router.createPlainTransport({ listenInfo, ...srtp });
      await ingress.connect({ ip: '127.0.0.1', port: await sender.bind(), srtpParameters: { cryptoSuite, keyBase64: local.keyBase64 } });
      sender.connect(ingress.tuple.localPort, new SrtpSession(ingress.srtpParameters!.keyBase64));
      const producer = await ingress.produce({
        kind: 'video',
        rtpParameters: {
          codecs: [
            {
              mimeType: 'video/VP8',
              payloadType: 101,
              clockRate: 90000,
              rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
            },
          ],
          encodings: plan.videoSsrcs.map((ssrc) => ({ ssrc, scalabilityMode: 'L1T3' })),
        },
      });
      producerIds.push(producer.id);
      sender.startVideo();
    }
    // the synthetic viewers' own capabilities (no congestion feedback), as in the meeting
    const rtpCapabilities = withoutBandwidthEstimation(router.rtpCapabilities) as mediasoup.types.RtpCapabilities;
    const consumers: mediasoup.types.Consumer[] = [];
    const egress = [];
    for (let v = 0; v < viewers; v++) {
      const receiver = new SiteReceiver();
      receivers.push(receiver);
      const transport = await router.createPlainTransport({ listenInfo, ...srtp });
      await transport.connect({
        ip: '127.0.0.1',
        port: await receiver.bind(),
        srtpParameters: { cryptoSuite, keyBase64: new SrtpSession().keyBase64 },
      });
      egress.push({ transport, receiver });
    }
    for (let c = 0; c < consumerCount; c++) {
      const { transport, receiver } = egress[c % viewers]!;
      const consumer = await transport.consume({ producerId: producerIds[c % producers]!, rtpCapabilities });
      receiver.expect(consumer.rtpParameters.encodings![0]!.ssrc!, 'VP8');
      consumers.push(consumer);
    }
    const received = () => receivers.reduce((n, r) => n + [...r.streams.values()].reduce((m, s) => m + s.packets, 0), 0);
    // warm-up: every consumer on the top layer
    for (let i = 0; i < 100 && consumers.some((c) => c.currentLayers?.spatialLayer !== 2); i++)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2000));
    const cpu = async () => {
      const usage = await worker.getResourceUsage();
      return usage.ru_utime + usage.ru_stime;
    };
    const before = { cpu: await cpu(), packets: received() };
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const after = { cpu: await cpu(), packets: received() };
    const forwarded = after.packets - before.packets;
    return { usPerPacket: ((after.cpu - before.cpu) * 1000) / forwarded, forwarded, producers, consumers: consumerCount };
  } finally {
    clearInterval(pacer);
    for (const sender of senders) sender.close();
    for (const receiver of receivers) receiver.close();
    worker.close();
  }
}
