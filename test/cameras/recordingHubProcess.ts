import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { defaultSamplePassword } from '../../prisma/index.js';

/**
 * A recording hub (recordingHub.ts) in its own process group: SIGKILL to the group ends it, its workers
 * and its ffmpeg pulls at once (a power cut, or systemd's kill). Shared by recordingRestart.test.ts and
 * bench/recordingCrash.ts.
 */
export class RecordingHubProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;

  private constructor(url: string, child: ChildProcess, exited: Promise<void>) {
    this.url = url;
    this.#child = child;
    this.#exited = exited;
  }

  /** Starts it on SQLite at `database`, recording into `recordings`, with the camera key (hex) `key`. */
  static async start(database: string, recordings: string, key: string): Promise<RecordingHubProcess> {
    const child = spawn('npx', ['tsx', path.resolve('test/cameras/recordingHub.ts'), database, recordings], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CAMERA_KEY_HEX: key },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /READY (\S+)/.exec(output);
        if (ready) resolve(ready[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the hub exited (${code}) before it was ready`)));
    });
    return new RecordingHubProcess(url, child, exited);
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** SIGKILL to the whole group; settles once the hub's process is gone. */
  async kill(): Promise<void> {
    if (this.running) process.kill(-this.#child.pid!, 'SIGKILL');
    await this.#exited;
  }

  async call<T>(method: string, route: string, token?: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async login(username: string): Promise<string> {
    return (await this.call<{ token: string }>('POST', '/api/auth/login', undefined, { username, password: defaultSamplePassword })).token;
  }
}
