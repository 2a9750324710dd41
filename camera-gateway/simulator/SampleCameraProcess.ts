import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ownedCommand } from '../../processes/index.js';
import { sampleFarmReadySchema, type SampleCamera, type SampleFarmRequest } from './sampleCameraMessages.js';

export type SampleCameraProcessEvents = {
  /** The process ended by itself (a crash, the OOM killer): it is started again after `restartInMs`. */
  exited: [reason: string, restartInMs: number];
  /** Started again after it ended; the same cameras on the same ports. */
  restarted: [pid: number];
};

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

const firstRestartMs = 1000;
const maxRestartMs = 30_000;
const readyTimeoutMs = 120_000;

/**
 * The sample cameras' process (sampleCameraProcessMain): started with the hub, ended with it (parent-death
 * signal, and its stdin closing), started again if it dies on its own. A busy hub does not stall the
 * cameras, and the cameras' 900 pictures/s do not stall the hub.
 */
export class SampleCameraProcess extends EventEmitter<SampleCameraProcessEvents> {
  readonly #request: SampleFarmRequest;
  #child: Child;
  #closing = false;
  #restartMs = firstRestartMs;
  #restart?: NodeJS.Timeout;

  private constructor(request: SampleFarmRequest, child: Child) {
    super();
    this.#request = request;
    this.#child = child;
    this.#watch(child);
  }

  /** Starts the cameras and waits until every one serves; resolves with what to register. */
  static async start(request: SampleFarmRequest): Promise<{ process: SampleCameraProcess; cameras: SampleCamera[] }> {
    const { child, cameras } = await launch(request);
    return { process: new SampleCameraProcess(request, child), cameras };
  }

  get pid(): number {
    return this.#child.pid!;
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#restart);
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }

  #watch(child: Child): void {
    child.once('exit', (code, signal) => {
      if (!this.#closing) this.#relaunchLater(`the sample cameras' process ended (${signal ?? code})`);
    });
  }

  /** Says why the cameras are gone and starts them again after a wait that doubles up to `maxRestartMs`. */
  #relaunchLater(reason: string): void {
    const delay = this.#restartMs;
    this.#restartMs = Math.min(this.#restartMs * 2, maxRestartMs);
    this.emit('exited', reason, delay);
    this.#restart = setTimeout(() => this.#relaunch(), delay);
  }

  #relaunch(): void {
    launch(this.#request).then(
      ({ child }) => {
        if (this.#closing) {
          child.kill('SIGKILL');
          return;
        }
        this.#child = child;
        this.#restartMs = firstRestartMs;
        this.#watch(child);
        this.emit('restarted', child.pid!);
      },
      (error: unknown) => {
        if (!this.#closing) this.#relaunchLater(error instanceof Error ? error.message : String(error));
      },
    );
  }
}

/**
 * The child on the built entry beside this module (dist/…/sampleCameraProcessMain.js), or on its source
 * through tsx where the hub itself runs from source (npm run dev, tests).
 */
function entryCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  const entry = path.join(path.dirname(here), `sampleCameraProcessMain${extension}`);
  return extension === '.ts' ? ['--import', 'tsx', entry] : [entry];
}

async function launch(request: SampleFarmRequest): Promise<{ child: Child; cameras: SampleCamera[] }> {
  const child = spawn(...ownedCommand(process.execPath, entryCommand()), { stdio: ['pipe', 'pipe', 'pipe'] });
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => (said = `${said}${chunk.toString()}`.slice(-2000)));
  child.stdin.on('error', () => undefined); // the exit says why
  child.stdin.write(`${JSON.stringify(request)}\n`);
  const lines = readline.createInterface({ input: child.stdout });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sample cameras did not start in time')), readyTimeoutMs);
      lines.once('line', (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the sample cameras' process ended at start (${signal ?? code}): ${said.trim().split('\n').at(-1) ?? ''}`));
      });
    });
    const ready = sampleFarmReadySchema.parse(JSON.parse(line));
    // nothing more is read: whatever it might still write must not fill the pipe and stall it
    child.stdout.resume();
    return { child, cameras: ready.cameras };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    lines.close();
  }
}
