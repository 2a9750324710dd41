import dgram from 'node:dgram';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';

const opus = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 } as const;
const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;

/** The stream consumed `copies` more times on its router, each copy going out of `egress` to the sink. */
async function consumeCopies(router: types.Router, egress: types.PlainTransport, producer: types.Producer, copies: number): Promise<void> {
  for (let i = 0; i < copies; i++) await egress.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
}

/**
 * Real forwarding load on a hub's worker, as a crowd of viewers would make: one Opus stream sent from here
 * at `packetsPerSecond`, consumed `fanOut` times on the worker under test, every copy sent to a sink (a
 * worker of the test's own that drops what it gets). The worker's CPU then goes where a meeting's would.
 */
export class WorkerFlood {
  readonly #router: types.Router;
  readonly #sinkWorker: types.Worker;
  readonly #socket: dgram.Socket;
  readonly #timer: NodeJS.Timeout;
  readonly #egress: types.PlainTransport;
  readonly #producer: types.Producer;
  #fanOut: number;

  private constructor(
    router: types.Router,
    sinkWorker: types.Worker,
    socket: dgram.Socket,
    timer: NodeJS.Timeout,
    stream: { egress: types.PlainTransport; producer: types.Producer; fanOut: number },
  ) {
    this.#router = router;
    this.#sinkWorker = sinkWorker;
    this.#socket = socket;
    this.#timer = timer;
    this.#egress = stream.egress;
    this.#producer = stream.producer;
    this.#fanOut = stream.fanOut;
  }

  /**
   * Forwards more copies, `step` at a time, until `loaded()` holds: the fan-out that loads a worker
   * depends on the machine's cores (one twice as fast needs twice the copies), so it is found here,
   * not assumed. `loaded` is read after the hub has sampled its workers again (`settleMs`).
   */
  async widenUntil(loaded: () => boolean, { step = 150, maxFanOut = 3000, settleMs = 2500 } = {}): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      if (loaded()) return;
      if (this.#fanOut >= maxFanOut) throw new Error(`the worker forwards ${this.#fanOut} copies and is still not loaded`);
      await consumeCopies(this.#router, this.#egress, this.#producer, step);
      this.#fanOut += step;
    }
  }

  static async start(worker: types.Worker, { packetsPerSecond = 1000, fanOut = 150 } = {}): Promise<WorkerFlood> {
    const router = await worker.createRouter({ mediaCodecs: [opus] });
    const sinkWorker = await mediasoup.createWorker({ logLevel: 'none' });
    const socket = dgram.createSocket('udp4');
    try {
      const sinkRouter = await sinkWorker.createRouter({ mediaCodecs: [opus] });
      const sink = await sinkRouter.createPlainTransport({ listenInfo, comedia: true, rtcpMux: true });
      const ingress = await router.createPlainTransport({ listenInfo, comedia: true, rtcpMux: true });
      const ssrc = 0x0f100d;
      const producer = await ingress.produce({
        kind: 'audio',
        rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc }] },
      });
      const egress = await router.createPlainTransport({ listenInfo, comedia: false, rtcpMux: true });
      await egress.connect({ ip: '127.0.0.1', port: sink.tuple.localPort });
      await consumeCopies(router, egress, producer, fanOut);
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      // paced every 10 ms; each packet an Opus-sized payload behind a valid RTP header
      let sequence = 0;
      let timestamp = 0;
      const perTick = Math.max(1, Math.round(packetsPerSecond / 100));
      const timer = setInterval(() => {
        for (let i = 0; i < perTick; i++) {
          const packet = Buffer.alloc(12 + 80);
          packet[0] = 0x80;
          packet[1] = 100;
          packet.writeUInt16BE(sequence++ & 0xffff, 2);
          packet.writeUInt32BE((timestamp += 960) >>> 0, 4);
          packet.writeUInt32BE(ssrc, 8);
          socket.send(packet, ingress.tuple.localPort, '127.0.0.1');
        }
      }, 10);
      return new WorkerFlood(router, sinkWorker, socket, timer, { egress, producer, fanOut });
    } catch (error) {
      router.close();
      sinkWorker.close();
      socket.close();
      throw error;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#socket.close();
    this.#router.close();
    this.#sinkWorker.close();
  }
}
