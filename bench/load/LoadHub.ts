import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSamplePassword, hashPassword, openDatabase, sampleBridgePoints, seedSampleData } from '../../prisma/index.js';
import { projectRoot, type DatabaseConfig } from '../../prisma/index.js';
import { serverEntry } from '../../scripts/server-build.mjs';
import { freePort } from '../../test/support/freePort.js';

/** One node of a cluster under load: its own address, for its media statistics and metrics. */
export interface BenchNode {
  nodeId: string;
  base: string;
  sample(): HubSample;
}

/**
 * A hub's processes from /proc: its Node process, its mediasoup workers, its media processes (the ffmpeg
 * it runs: camera pulls, recordings, the program; GStreamer: the SIP calls' picture and mixes) and, apart, the
 * sample cameras' process with its encoders.
 */
export interface HubSample {
  node: ProcessSample;
  workers: ProcessSample;
  media: ProcessSample;
  sampleCameras: ProcessSample;
}

export interface LoadHubOptions {
  sites: number;
  /** Run the 37 simulated counter cameras (for wall stations). */
  cameras: boolean;
  forwardAll: boolean;
  /** MEDIA_PEERS_PER_ROUTER: a meeting spreads to another worker past this many sites. */
  peersPerRouter?: number;
  /** Write a V8 CPU profile of the hub's process into this directory when it stops. */
  cpuProfileDir?: string;
  /** SIP on, its ports: room systems call the meeting (on loopback). */
  sip?: { port: number; tlsPort: number; bfcpPort: number };
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export interface ProcessSample {
  cpuSeconds: number;
  rssMb: number;
}

const clockTicks = 100;

/**
 * The hub as `npm start` runs it (the built entry in its own process, SQLite, two workers),
 * on loopback with load-test transports on, in a temporary data directory; bridge points beyond the
 * sample 47 are added as the merged province's communes, each with its account.
 */
export class LoadHub {
  readonly base: string;
  readonly #process: ChildProcess;
  readonly #dir: string;

  private constructor(base: string, child: ChildProcess, dir: string) {
    this.base = base;
    this.#process = child;
    this.#dir = dir;
  }

  static async start(options: LoadHubOptions): Promise<LoadHub> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-load-'));
    try {
      await prepareDatabase({ provider: 'sqlite', url: path.join(dir, 'hub.db') }, options.sites);
      const port = await freePort();
      const unlimited = '100000';
      const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
      const child = spawn(process.execPath, [...profile, path.join(projectRoot, serverEntry)], {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dir,
          DATABASE_URL: `file:${dir}/hub.db`,
          LOG_LEVEL: 'warn',
          // its accounts have the sample password: real use would disable them
          SEED_SAMPLE_DATA: 'true',
          TLS: 'off',
          TURN: 'off',
          MEDIA_LISTEN_IP: '127.0.0.1',
          MEDIA_WEBRTC_SERVER_PORT: 'off',
          MEDIA_LOAD_TEST_TRANSPORTS: 'on',
          SAMPLE_CAMERAS: String(options.cameras),
          ...(options.peersPerRouter ? { MEDIA_PEERS_PER_ROUTER: String(options.peersPerRouter) } : {}),
          ...(options.sip
            ? {
                SIP: 'on',
                SIP_PORT: String(options.sip.port),
                SIP_TLS_PORT: String(options.sip.tlsPort),
                SIP_BFCP_PORT: String(options.sip.bfcpPort),
                SIP_LISTEN_IP: '127.0.0.1',
                SIP_ANNOUNCED_ADDRESS: '127.0.0.1',
              }
            : {}),
          ...(options.forwardAll ? { MEDIA_MAX_SHOWN_VIDEOS: unlimited, MEDIA_MAX_FORWARDED_MICROPHONES: unlimited } : {}),
        },
        // the hub's log on stderr: stdout's last line is the result
        stdio: ['ignore', 2, 2],
      });
      const hub = new LoadHub(`http://127.0.0.1:${port}`, child, dir);
      await hub.#waitHealthy();
      return hub;
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get pid(): number {
    return this.#process.pid!;
  }

  /** The hub's node process, and its mediasoup workers summed. */
  sample(): HubSample {
    return sampleHub(this.pid);
  }

  /** One hub: no nodes to tell apart. */
  get nodes(): BenchNode[] {
    return [];
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#process.once('exit', resolve));
    this.#process.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (this.#process.exitCode === null) this.#process.kill('SIGKILL');
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  async #waitHealthy(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (this.#process.exitCode !== null) throw new Error(`the hub exited (${this.#process.exitCode})`);
      const healthy = await fetch(`${this.base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the hub did not start within 60 s');
  }
}

/** The sample province, and the merged province's further communes (XA-26, XA-27, …) up to `sites`. */
export function siteCodes(sites: number): string[] {
  const codes = sampleBridgePoints.map((p) => p.code);
  for (let i = codes.length; i < sites; i++) codes.push(`XA-${String(i - 22 + 1).padStart(2, '0')}`);
  return codes.slice(0, sites);
}

/** The sample data and the communes beyond the sample up to `sites`, each with its account. */
export async function prepareDatabase(config: DatabaseConfig, sites: number): Promise<void> {
  const database = await openDatabase(config);
  try {
    await seedSampleData(database.prisma);
    const extra = siteCodes(sites).slice(sampleBridgePoints.length);
    const passwordHash = await hashPassword(defaultSamplePassword);
    for (const code of extra) {
      const point = await database.prisma.bridgePoint.create({ data: { code, name: `UBND xã ${code}`, level: 'COMMUNE' } });
      await database.prisma.user.create({
        data: { username: code.toLowerCase(), displayName: point.name, role: 'BRIDGE_POINT', passwordHash, bridgePointId: point.id },
      });
    }
  } finally {
    await database.close();
  }
}

/** A hub process, and its children by kind (summed), from /proc. */
/** The hub's media processes: ffmpeg (camera pulls, recordings, the program) and GStreamer (the calls' picture and mixes). */
const mediaCommands = new Set(['ffmpeg', 'gst-launch-1.0']);

export function sampleHub(pid: number): HubSample {
  const children = childPids(pid).map((child) => ({ pid: child, comm: readComm(child) }));
  const of = (pids: number[]) => {
    const samples = pids.map(readSample);
    return { cpuSeconds: sum(samples.map((s) => s.cpuSeconds)), rssMb: sum(samples.map((s) => s.rssMb)) };
  };
  return {
    node: readSample(pid),
    workers: of(children.filter((c) => c.comm === 'mediasoup-worke').map((c) => c.pid)),
    media: of(children.filter((c) => mediaCommands.has(c.comm)).map((c) => c.pid)),
    // the sample cameras run in a Node child of their own, their encoders under it
    sampleCameras: of(
      children.filter((c) => c.comm !== 'mediasoup-worke' && !mediaCommands.has(c.comm)).flatMap((c) => [c.pid, ...descendants(c.pid)]),
    ),
  };
}

function childPids(pid: number): number[] {
  const pids: number[] = [];
  const tasks = readTasks(pid);
  for (const task of tasks) {
    // a thread may end between the listing and the read
    const children = readOr(`/proc/${pid}/task/${task}/children`, '').trim();
    if (children) pids.push(...children.split(/\s+/).map(Number));
  }
  return pids;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** The process's threads; none once it has exited. */
function readTasks(pid: number): string[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  return childPids(pid).flatMap((child) => [child, ...descendants(child)]);
}

function readComm(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function readSample(pid: number): ProcessSample {
  // fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th, rss (pages) the 24th
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return { cpuSeconds: 0, rssMb: 0 }; // exited between the listing and the read
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / clockTicks;
  const rssMb = (Number(fields[21]) * 4096) / (1024 * 1024);
  return { cpuSeconds, rssMb };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
