import fs from 'node:fs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { types } from 'mediasoup';
import { isLiveWorker, type PooledWorker } from '../media-server/index.js';
import { tamperKinds } from '../shared/cameras.js';
import { shedSteps, type ShedStep } from '../shared/protocol.js';
import type { HubMetricsSources } from './HubMetricsTypes.js';

const pageSize = 4096;

/**
 * The hub's Prometheus metrics: Node's own (CPU, memory, event-loop lag), each mediasoup worker's CPU,
 * memory and live objects, the bitrate in and out of its transports, sites per meeting by presence,
 * cameras by status, and the database's round trip. Values are read when scraped.
 */
export class HubMetrics {
  readonly registry = new Registry();
  readonly #sources: HubMetricsSources;
  readonly #deaths: Counter<'worker'>;
  readonly #signallingEvents: Histogram<'event'>;
  readonly #onWorkerDied = (index: number) => this.#deaths.inc({ worker: String(index) });

  constructor(sources: HubMetricsSources) {
    this.#sources = sources;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    sources.pool.on('workerDied', this.#onWorkerDied);
    this.#deaths = new Counter({ name: 'hub_worker_deaths_total', help: 'mediasoup workers that died', labelNames: ['worker'], registers });
    // every slot counts from 0: a death-free hub shows 0 deaths on the dashboard, not "no data"
    for (const slot of sources.pool.workers) this.#deaths.inc({ worker: String(slot.index) }, 0);
    this.#signallingEvents = new Histogram({
      name: 'hub_signalling_event_seconds',
      help: "a site's or station's request over its socket, from its arrival to the answer, by event (e.g. consumer:create)",
      labelNames: ['event'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });

    const workers = () => sources.pool.workers;
    const perWorker = (name: string, help: string, value: (slot: PooledWorker) => number | Promise<number>) =>
      new Gauge({
        name,
        help,
        labelNames: ['worker'],
        registers,
        async collect() {
          this.reset();
          for (const slot of workers()) this.set({ worker: String(slot.index) }, await value(slot));
        },
      });
    perWorker('hub_worker_up', 'whether the worker in this slot is alive (1) or dead and not yet replaced (0)', (slot) =>
      isLiveWorker(slot) ? 1 : 0,
    );
    new Gauge({
      name: 'hub_worker_info',
      help: 'the process id of the worker in each slot (1 while alive)',
      labelNames: ['worker', 'pid'],
      registers,
      collect() {
        this.reset();
        for (const slot of workers()) if (isLiveWorker(slot)) this.set({ worker: String(slot.index), pid: String(slot.worker.pid) }, 1);
      },
    });
    perWorker('hub_worker_cpu_seconds_total', 'CPU time the worker used (user + system); starts again when replaced', async (slot) => {
      if (!isLiveWorker(slot)) return 0;
      const usage = await slot.worker.getResourceUsage().catch(() => undefined);
      return usage ? (usage.ru_utime + usage.ru_stime) / 1000 : 0;
    });
    perWorker('hub_worker_memory_bytes', 'resident memory of the worker process', (slot) => residentBytes(slot.worker.pid));
    // the SIP calls' worker (their own routers), apart from the pool's slots
    const callsWorker = (name: string, help: string, value: (worker: types.Worker) => number | Promise<number>) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const worker = sources.pool.runningCallWorker;
          this.set(worker ? await value(worker) : 0);
        },
      });
    callsWorker('hub_calls_worker_up', 'whether the SIP calls’ worker runs (started by the first call)', () => 1);
    callsWorker('hub_calls_worker_cpu_seconds_total', 'CPU time the SIP calls’ worker used (user + system)', async (worker) => {
      const usage = await worker.getResourceUsage().catch(() => undefined);
      return usage ? (usage.ru_utime + usage.ru_stime) / 1000 : 0;
    });
    callsWorker('hub_calls_worker_memory_bytes', 'resident memory of the SIP calls’ worker', (worker) => residentBytes(worker.pid));
    perWorker('hub_worker_peers', 'meeting sites placed on the worker', (slot) => slot.load);
    perWorker('hub_routers', 'mediasoup routers (one per meeting per worker, and the camera wall)', (slot) => slot.objects.routers.size);
    perWorker('hub_transports', 'mediasoup transports (WebRTC, plain, pipe)', (slot) => slot.objects.transports.size);
    for (const [name, kind] of [
      ['producers', 'producers'],
      ['consumers', 'consumers'],
    ] as const)
      new Gauge({
        name: `hub_${name}`,
        help: `mediasoup ${name}, by media kind`,
        labelNames: ['worker', 'kind'],
        registers,
        collect() {
          this.reset();
          for (const slot of workers()) {
            const counts = { audio: 0, video: 0 };
            for (const item of slot.objects[kind]) counts[item.kind]++;
            for (const [k, n] of Object.entries(counts)) this.set({ worker: String(slot.index), kind: k }, n);
          }
        },
      });
    const bitrate = (direction: 'recvBitrate' | 'sendBitrate') => async (slot: PooledWorker) => {
      let sum = 0;
      for (const transport of slot.objects.transports) {
        if (transport.closed) continue;
        const stats = (await transport.getStats().catch(() => [])) as types.BaseTransportStats[];
        for (const stat of stats) sum += stat[direction];
      }
      return sum;
    };
    perWorker('hub_bitrate_in_bps', 'bits per second the worker’s transports receive', bitrate('recvBitrate'));
    perWorker('hub_bitrate_out_bps', 'bits per second the worker’s transports send', bitrate('sendBitrate'));

    new Gauge({
      name: 'hub_meeting_sites',
      help: 'sites of each live meeting, by presence',
      labelNames: ['meeting', 'presence'],
      registers,
      async collect() {
        this.reset();
        for (const { meetingId, sites } of await sources.meetings())
          for (const [presence, count] of Object.entries(sites)) this.set({ meeting: meetingId, presence }, count);
      },
    });
    new Gauge({
      name: 'hub_cameras',
      help: 'registered counter cameras, by status',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const status of sources.cameraStatuses()) counts.set(status, (counts.get(status) ?? 0) + 1);
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'hub_cameras_tampered',
      help: 'counter cameras whose picture is covered (or defocused, blinded) or turned away now, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const kind of tamperKinds) this.set({ kind }, sources.cameraTampers().filter((k) => k === kind).length);
      },
    });
    new Gauge({
      name: 'hub_camera_wall_worker',
      help: 'the worker slot that carries the camera wall (-1 while it is made again after its worker died)',
      registers,
      collect() {
        this.set(sources.cameraWallWorker() ?? -1);
      },
    });
    new Gauge({
      name: 'hub_load_percent',
      help: "the busiest worker's CPU demand at the last reading: its time running and waiting for a core, percent of one core",
      registers,
      collect() {
        this.set(sources.load().percent);
      },
    });
    new Gauge({
      name: 'hub_load_shed_step',
      help: 'what the hub gives up while the machine runs short (1: given up now): the walls, then the thumbnails',
      labelNames: ['step'],
      registers,
      collect() {
        const { steps } = sources.load();
        for (const step of shedSteps) this.set({ step }, steps.includes(step) ? 1 : 0);
      },
    });
    const takenSeen = new Map<ShedStep, number>();
    new Counter({
      name: 'hub_load_shed_taken_total',
      help: 'times each load-shedding step was taken',
      labelNames: ['step'],
      registers,
      collect() {
        for (const step of shedSteps) {
          const total = sources.load().taken[step];
          this.inc({ step }, total - (takenSeen.get(step) ?? 0));
          takenSeen.set(step, total);
        }
      },
    });
    /** A counter of a running total another part keeps: each scrape adds what the total grew by since the last. */
    const totalCounter = (name: string, help: string, total: () => number) => {
      let seen = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const now = total();
          this.inc(now - seen);
          seen = now;
        },
      });
    };
    totalCounter(
      'hub_program_voice_decode_errors_total',
      "voices' Opus packets the meetings' programs could not decode (each dropped, the mix went on)",
      () => sources.programVoiceDecodeErrors(),
    );
    totalCounter(
      'hub_attendance_heartbeat_failures_total',
      "stamps of the open presences that failed: a crash then cuts a site's attendance at the last stamp that worked",
      () => sources.attendanceHeartbeatFailures(),
    );
    const nodePipeTraffic = sources.nodePipeTraffic?.bind(sources);
    if (nodePipeTraffic)
      new Gauge({
        name: 'hub_node_pipe_bytes',
        help: 'bytes the pipes open now to other hub nodes have carried, by direction (cluster mode)',
        labelNames: ['direction'],
        registers,
        async collect() {
          const { sentBytes, receivedBytes } = await nodePipeTraffic();
          this.set({ direction: 'sent' }, sentBytes);
          this.set({ direction: 'received' }, receivedBytes);
        },
      });
    new Gauge({
      name: 'hub_db_latency_seconds',
      help: 'round trip of a trivial database query at scrape time (-1: the database did not answer)',
      registers,
      async collect() {
        const start = process.hrtime.bigint();
        const ok = await sources.pingDatabase().then(
          () => true,
          () => false,
        );
        this.set(ok ? Number(process.hrtime.bigint() - start) / 1e9 : -1);
      },
    });
  }

  /** One request over a socket answered, `seconds` after it arrived. */
  signallingEventHandled(event: string, seconds: number): void {
    this.#signallingEvents.observe({ event }, seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.#sources.pool.off('workerDied', this.#onWorkerDied);
    this.registry.clear();
  }
}

/** The process's resident set size now (Linux /proc); 0 once it is gone. */
function residentBytes(pid: number): number {
  try {
    const [, resident] = fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return Number(resident) * pageSize;
  } catch {
    return 0;
  }
}
