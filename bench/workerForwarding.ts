/**
 * Worker forwarding cost: CPU time of the mediasoup-worker per forwarded RTP packet, one producer
 * and N SRTP consumers, no signalling: the current worker (built offline, its unordered_dense
 * stand-in) next to the 3.19.3 worker, in the same run, windows alternating between the two.
 *
 * A camera's 720p H.264 clip is packetized (FU-A) and sent as plain RTP into a PlainTransport at a
 * fixed packet rate; each consumer is a PlainTransport with SRTP (AEAD_AES_256_GCM, what Chromium
 * negotiates) sending to a local sink. Cost = (worker user + system CPU) / packets the consumers sent.
 *   npm run bench:forwarding [-- --consumers 1,10,40 --rounds 5 --seconds 8 --rate 1000]
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import * as mediasoup from 'mediasoup';
import { ensureClips } from '../camera-gateway/simulator/CameraSimulatorFarm.js';
import { packetize, readElementaryStream } from '../camera-gateway/simulator/ElementaryStream.js';
import { baselineMediasoup, type MediasoupRelease } from './baselineMediasoup.js';
import { median } from './stats.js';

const option = (name: string, fallback: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : fallback;
const consumerCounts = option('consumers', '1,10,40').split(',').map(Number);
const rounds = Number(option('rounds', '5'));
const windowSeconds = Number(option('seconds', '8'));
const packetRate = Number(option('rate', '1000'));

const payloadType = 102;
const listenInfo = { protocol: 'udp', ip: '127.0.0.1', portRange: { min: 47000, max: 47999 } } as const;
const ssrc = 0x1234_5678;
const cryptoSuite = 'AEAD_AES_256_GCM' as const;

/** The clip as RTP payloads with their picture's index; the sender numbers, stamps and loops them. */
interface Clip {
  packets: Array<{ payload: Buffer; marker: boolean; frame: number }>;
  frames: number;
  profileLevelId: string;
}

async function clipPackets(): Promise<Clip> {
  const stream = readElementaryStream((await ensureClips()).main, 'H264');
  const packets = stream.frames.flatMap((frame, index) => {
    const payloads = frame.nalUnits.flatMap((nal) => packetize('H264', nal, 1200));
    return payloads.map((payload, k) => ({ payload, marker: k === payloads.length - 1, frame: index }));
  });
  return { packets, frames: stream.frames.length, profileLevelId: stream.parameterSets.sps.subarray(1, 4).toString('hex') };
}

interface Window {
  cpuMs: number;
  forwarded: number;
  received: number;
}

class ForwardingRig {
  readonly release: MediasoupRelease;
  #worker?: mediasoup.types.Worker;

  constructor(release: MediasoupRelease) {
    this.release = release;
  }

  async start(): Promise<void> {
    this.#worker = await this.release.mediasoup.createWorker({ logLevel: 'error' });
  }

  /** One measured window with `consumers` SRTP consumers; the router is made and closed around it. */
  async measure(consumers: number, clip: Clip, sinkPort: number): Promise<Window> {
    const worker = this.#worker!;
    const router = await worker.createRouter({
      mediaCodecs: [
        {
          kind: 'video',
          mimeType: 'video/H264',
          clockRate: 90000,
          parameters: { 'packetization-mode': 1, 'profile-level-id': clip.profileLevelId },
        },
      ],
    });
    const sender = dgram.createSocket('udp4');
    try {
      const ingress = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
      const producer = await ingress.produce({
        kind: 'video',
        rtpParameters: {
          codecs: [
            {
              mimeType: 'video/H264',
              payloadType,
              clockRate: 90000,
              parameters: { 'packetization-mode': 1, 'profile-level-id': clip.profileLevelId },
            },
          ],
          encodings: [{ ssrc }],
        },
      });
      const consumerList: mediasoup.types.Consumer[] = [];
      for (let i = 0; i < consumers; i++) {
        const egress = await router.createPlainTransport({ listenInfo, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: cryptoSuite });
        await egress.connect({
          ip: '127.0.0.1',
          port: sinkPort,
          srtpParameters: { cryptoSuite, keyBase64: crypto.randomBytes(44).toString('base64') },
        });
        consumerList.push(await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities }));
      }
      const stop = this.#send(sender, ingress.tuple.localPort, clip);
      try {
        // Warm-up: every consumer past its first key frame.
        while ((await this.#forwarded(consumerList)).some((count) => count === 0)) await new Promise((r) => setTimeout(r, 100));
        const before = {
          usage: await worker.getResourceUsage(),
          forwarded: await this.#forwarded(consumerList),
          received: await this.#received(producer),
        };
        await new Promise((r) => setTimeout(r, windowSeconds * 1000));
        const after = {
          usage: await worker.getResourceUsage(),
          forwarded: await this.#forwarded(consumerList),
          received: await this.#received(producer),
        };
        const cpu = (u: mediasoup.types.WorkerResourceUsage) => u.ru_utime + u.ru_stime;
        const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
        return {
          cpuMs: cpu(after.usage) - cpu(before.usage),
          forwarded: sum(after.forwarded) - sum(before.forwarded),
          received: after.received - before.received,
        };
      } finally {
        stop();
      }
    } finally {
      sender.close();
      router.close();
    }
  }

  close(): void {
    this.#worker?.close();
  }

  async #forwarded(consumers: mediasoup.types.Consumer[]): Promise<number[]> {
    return Promise.all(consumers.map(async (c) => (await c.getStats()).find((s) => s.type === 'outbound-rtp')?.packetCount ?? 0));
  }

  async #received(producer: mediasoup.types.Producer): Promise<number> {
    return (await producer.getStats()).reduce((total, s) => total + s.packetCount, 0);
  }

  /** Sends the clip's packets at `packetRate`, paced from the start so timer lateness does not accumulate. */
  #send(socket: dgram.Socket, port: number, clip: Clip): () => void {
    const startedAt = performance.now();
    let sent = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * packetRate);
      for (; sent < due; sent++) {
        const loop = Math.floor(sent / clip.packets.length);
        const packet = clip.packets[sent % clip.packets.length]!;
        const header = Buffer.alloc(12);
        header[0] = 0x80;
        header[1] = (packet.marker ? 0x80 : 0) | payloadType;
        header.writeUInt16BE(sent & 0xffff, 2);
        header.writeUInt32BE(((loop * clip.frames + packet.frame) * 3600) >>> 0, 4);
        header.writeUInt32BE(ssrc, 8);
        socket.send([header, packet.payload], port, '127.0.0.1');
      }
    }, 2);
    return () => clearInterval(timer);
  }
}

const current: MediasoupRelease = { version: mediasoup.version, mediasoup, workerBin: process.env.MEDIASOUP_WORKER_BIN ?? '' };
const baseline = baselineMediasoup();
const clip = await clipPackets();
const sink = dgram.createSocket('udp4');
sink.on('message', () => undefined);
sink.bind(0, '127.0.0.1');
await once(sink, 'listening');
const rigs = [new ForwardingRig(current), new ForwardingRig(baseline)];
await Promise.all(rigs.map((rig) => rig.start()));
console.log(
  `worker CPU per forwarded packet: ${packetRate} packets/s in (720p H.264 clip, 1200-byte payloads), ${windowSeconds} s windows, ${rounds} rounds`,
);
console.log(`  current  mediasoup ${current.version}: ${current.workerBin}`);
console.log(`  baseline mediasoup ${baseline.version}: ${baseline.workerBin}`);
try {
  for (const consumers of consumerCounts) {
    const costs = new Map<MediasoupRelease, number[]>(rigs.map((rig) => [rig.release, []]));
    for (let round = 0; round < rounds; round++) {
      // Alternate which release goes first, so a drift of the machine favours neither.
      for (const rig of round % 2 ? [...rigs].reverse() : rigs) {
        const window = await rig.measure(consumers, clip, sink.address().port);
        const cost = (window.cpuMs * 1000) / window.forwarded;
        costs.get(rig.release)!.push(cost);
        console.log(
          `  N=${consumers} round ${round + 1} ${rig.release.version}: ${cost.toFixed(2)} µs/packet (${window.cpuMs.toFixed(0)} ms CPU, ${window.forwarded} forwarded, ${window.received} received)`,
        );
      }
    }
    const now = median(costs.get(current)!);
    const before = median(costs.get(baseline)!);
    console.log(
      `N=${consumers}: ${current.version} ${now.toFixed(2)} µs/packet, ${baseline.version} ${before.toFixed(2)} µs/packet (median of ${rounds}), ${current.version}/${baseline.version} = ${(now / before).toFixed(3)}`,
    );
  }
} finally {
  for (const rig of rigs) rig.close();
  sink.close();
}
