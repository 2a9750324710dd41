import { spawn, type ChildProcess } from 'node:child_process';
import { test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findWorker } from '../../scripts/mediasoup-worker/resolve.mjs';
import { serverEntry } from '../../scripts/server-build.mjs';
import { freePort } from '../support/freePort.js';
import { workerPid } from '../support/workerPid.js';

/** A hub process's environment for its own coturn: TURN on free ports, relaying on `relayPorts` (a range of each spec's own). */
export async function ownTurnEnv(relayPorts: [first: number, last: number]): Promise<Record<string, string>> {
  return {
    TURN: 'on',
    TURN_PORT: String(await freePort()),
    TURN_TLS_PORT: String(await freePort()),
    TURN_RELAY_MIN_PORT: String(relayPorts[0]),
    TURN_RELAY_MAX_PORT: String(relayPorts[1]),
  };
}

/**
 * A hub process of the test's own (`node` on the built entry, on loopback, a free port, its data in a
 * temp dir), which the test may kill, stop and start again on the same database: the shared Playwright
 * hubs must survive for the other specs. It runs in a process group of its own, as under `npm start`.
 * Also a spec's own hub (`hubOfThisFile`) where what it does shows on every page of a hub.
 */
export class HubProcess {
  readonly port: number;
  readonly dataDir: string;
  #child?: ChildProcess;
  #exited?: Promise<void>;
  readonly #output: string[] = [];
  /** stdout only (the structured log), whole: what it must never hold is checked against all of it. */
  readonly #log: string[] = [];

  readonly #env: Record<string, string>;

  private constructor(port: number, dataDir: string, env: Record<string, string>) {
    this.port = port;
    this.dataDir = dataDir;
    this.#env = env;
  }

  /** `env` adds to or overrides the hub's environment (sample mode; `SEED_SAMPLE_DATA: ''` for the hub's own default, real use). */
  static async start(env: Record<string, string> = {}): Promise<HubProcess> {
    const hub = new HubProcess(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-own-')), env);
    await hub.restart();
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.#child!.pid!;
  }

  /** How the hub's process ended: its exit code (0: it stopped by itself), or null while it runs or when a signal killed it. */
  get exitCode(): number | null {
    return this.#child?.exitCode ?? null;
  }

  /** Whether any process of the hub's group (its workers, ffmpeg, coturn) is still alive. */
  get groupAlive(): boolean {
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** A signal to the hub's main process alone, as `kill <pid>` or a supervisor that signals only its child does. */
  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Everything on the hub's stdout since it (re)started: its structured log. */
  get log(): string {
    return this.#log.join('\n');
  }

  /** The last lines the hub logged (for a failure's message). */
  get output(): string {
    return this.#output.join('\n');
  }

  /** Starts the hub (again) on the same port and database, and waits until it is ready for sites; `output` starts anew. */
  async restart(): Promise<void> {
    // a second hub on the same port would fail to listen while the first one answered for it
    if (this.running) throw new Error('the hub is still running: stop it (signalGroup) before restart()');
    this.#output.length = 0;
    this.#log.length = 0;
    const workerBin = process.env.MEDIASOUP_WORKER_BIN ?? findWorker();
    if (!workerBin) throw new Error('no mediasoup-worker on this machine: run `npm run setup` (npm test does) first');
    const child = spawn(process.execPath, [serverEntry], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        DATABASE_URL: `file:${path.join(this.dataDir, 'hub.db')}`,
        MEDIA_WORKERS: '2',
        MEDIA_LISTEN_IP: '127.0.0.1',
        MEDIA_RTC_MIN_PORT: '44000',
        MEDIA_RTC_MAX_PORT: '44999',
        MEDIA_WEBRTC_SERVER_PORT: 'off',
        LOG_LEVEL: 'info',
        SEED_SAMPLE_DATA: 'true',
        SAMPLE_CAMERAS: 'false',
        TLS: 'off',
        TURN: 'off',
        MEDIASOUP_WORKER_BIN: workerBin,
        ...this.#env,
      },
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = chunk.split('\n').filter(Boolean);
        this.#output.push(...lines);
        this.#output.splice(0, Math.max(0, this.#output.length - 200));
        if (stream === child.stdout) this.#log.push(...lines);
      });
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!this.running) throw new Error(`the hub exited during start-up:\n${this.output}`);
      const ready = await fetch(`${this.url}/api/health/ready`).catch(() => undefined);
      if (ready?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`the hub was not ready within 60 s:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** A signal to the hub's whole process group (the node process and its workers), as a terminal's Ctrl-C or systemd do. */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  /** Settles when the hub's process has exited (a test's own deadline says how long it may take). */
  exited(): Promise<void> {
    return this.#exited!;
  }

  /** The pid of the mediasoup worker in `slot`, as /metrics tells it (from loopback). */
  async workerPid(slot: number): Promise<number> {
    return workerPid(this.url, slot);
  }

  /** Stops whatever is left (the group, so no worker outlives it) and removes the data. */
  async close(): Promise<void> {
    if (this.running) {
      this.signalGroup('SIGKILL');
      await this.#exited;
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A hub for this spec file alone, started before its first test and stopped after its last: for specs whose
 * changes show on every page of a hub (cameras on the wall, the audit trail, the years in the reports), so
 * they run beside the specs sharing the Playwright hubs without seeing each other. Call at the file's top level.
 */
export function hubOfThisFile(env: Record<string, string> = {}): () => HubProcess {
  let hub: HubProcess | undefined;
  test.beforeAll(async () => {
    hub = await HubProcess.start(env);
  });
  test.afterAll(async () => {
    await hub?.close();
  });
  return () => {
    if (!hub) throw new Error('hubOfThisFile: the hub is started in beforeAll');
    return hub;
  };
}
