import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../prisma/index.js';
import { ensurePostgres } from '../../scripts/postgres.mjs';
import { serverEntry } from '../../scripts/server-build.mjs';
import { startBalancer, startRedis, type TestService } from '../../test/support/clusterServices.js';
import { freePort } from '../../test/support/freePort.js';
import { prepareDatabase, sampleHub, type BenchNode, type HubSample, type LoadHubOptions, type ProcessSample } from './LoadHub.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ensurePostgres('hub_test') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Two hub nodes as production runs them behind one address: PostgreSQL shared, Redis, HAProxy with
 * deploy/haproxy.cfg in front, each node its own process with one mediasoup worker (two nodes on this
 * two-core machine: as many workers as one hub has), load-test transports on. `base` is the balancer's.
 */
export class LoadCluster {
  readonly base: string;
  readonly nodes: BenchNode[];
  readonly #processes: ChildProcess[];
  readonly #services: TestService[];
  readonly #dirs: string[];
  readonly #database: string;

  private constructor(
    base: string,
    nodes: BenchNode[],
    processes: ChildProcess[],
    services: TestService[],
    dirs: string[],
    database: string,
  ) {
    this.base = base;
    this.nodes = nodes;
    this.#processes = processes;
    this.#services = services;
    this.#dirs = dirs;
    this.#database = database;
  }

  static async start(options: LoadHubOptions, count = 2): Promise<LoadCluster> {
    const database = `hub_bench_${randomBytes(4).toString('hex')}`;
    const processes: ChildProcess[] = [];
    const services: TestService[] = [];
    const dirs: string[] = [];
    const nodes: BenchNode[] = [];
    const cluster = () => new LoadCluster('', nodes, processes, services, dirs, database);
    try {
      await admin(`CREATE DATABASE ${database}`);
      const url = new URL(ensurePostgres('hub_test'));
      url.pathname = `/${database}`;
      await prepareDatabase({ provider: 'postgresql', url: url.toString() }, options.sites);
      const redisPort = await freePort();
      const redis = await startRedis(redisPort);
      services.push(redis);
      const key = randomBytes(32).toString('hex');
      const clusterSecret = randomBytes(32).toString('hex');
      for (let i = 1; i <= count; i++) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-load-node-'));
        dirs.push(dir);
        const port = await freePort();
        const unlimited = '100000';
        const child = spawn(process.execPath, [path.join(projectRoot, serverEntry)], {
          env: {
            ...process.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            DATA_DIR: dir,
            DATABASE_URL: url.toString(),
            REDIS_URL: redis.url,
            CLUSTER_SECRET: clusterSecret,
            NODE_ID: `node${i}`,
            CAMERA_CREDENTIALS_KEY: key,
            SEED_SAMPLE_DATA: 'true',
            LOG_LEVEL: 'warn',
            TLS: 'off',
            TURN: 'off',
            MEDIA_WORKERS: '1',
            MEDIA_LISTEN_IP: '127.0.0.1',
            MEDIA_RTC_MIN_PORT: String(40000 + i * 2000),
            MEDIA_RTC_MAX_PORT: String(41999 + i * 2000),
            MEDIA_WEBRTC_SERVER_PORT: 'off',
            MEDIA_LOAD_TEST_TRANSPORTS: 'on',
            FEED_MIN_PORT: String(19500 + i * 10),
            FEED_MAX_PORT: String(19509 + i * 10),
            SAMPLE_CAMERAS: String(options.cameras && i === 1),
            ...(options.peersPerRouter ? { MEDIA_PEERS_PER_ROUTER: String(options.peersPerRouter) } : {}),
            ...(options.forwardAll ? { MEDIA_MAX_SHOWN_VIDEOS: unlimited, MEDIA_MAX_FORWARDED_MICROPHONES: unlimited } : {}),
          },
          stdio: ['ignore', 2, 2],
        });
        processes.push(child);
        const base = `http://127.0.0.1:${port}`;
        // one after the other: the first applies the migrations
        await untilReady(base, child);
        nodes.push({ nodeId: `node${i}`, base, sample: () => sampleHub(child.pid!) });
      }
      const balancerPort = await freePort();
      services.push(await startBalancer(balancerPort, nodes.map((n) => n.base.replace('http://', '')) as [string, string]));
      return new LoadCluster(`http://127.0.0.1:${balancerPort}`, nodes, processes, services, dirs, database);
    } catch (error) {
      await cluster().stop();
      throw error;
    }
  }

  /** The nodes' processes and their workers, summed. */
  sample(): HubSample {
    const samples = this.nodes.map((n) => n.sample());
    const add = (key: keyof HubSample): ProcessSample => ({
      cpuSeconds: samples.reduce((sum, s) => sum + s[key].cpuSeconds, 0),
      rssMb: samples.reduce((sum, s) => sum + s[key].rssMb, 0),
    });
    return { node: add('node'), workers: add('workers'), media: add('media'), sampleCameras: add('sampleCameras') };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#processes.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }),
    );
    for (const service of this.#services) await service.stop();
    for (const dir of this.#dirs) fs.rmSync(dir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${this.#database} WITH (FORCE)`);
  }
}

async function untilReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`a hub node exited (${child.exitCode})`);
    if (
      await fetch(`${base}/api/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the hub node at ${base} was not ready within 60 s`);
}

/** Bytes a node's pipes to the other nodes have carried (its metrics, read from the machine itself). */
export async function pipeBytes(node: BenchNode): Promise<{ sent: number; received: number }> {
  const text = await (await fetch(`${node.base}/metrics`)).text();
  const value = (direction: string) =>
    Number(new RegExp(`^hub_node_pipe_bytes\\{direction="${direction}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { sent: value('sent'), received: value('received') };
}
