import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { defaultSamplePassword } from '../../prisma/index.js';
import { findWorker } from '../../scripts/mediasoup-worker/resolve.mjs';
import { serverEntry } from '../../scripts/server-build.mjs';
import type { NetworkLab } from './NetworkLab.js';

/** The ports of a hub started with the defaults `npm start` uses (docs/configuration.md). */
export const hubDefaultPorts = { https: 3000, redirect: 3080, turn: 3478, turnTls: 5349, media: [40000, 40001] } as const;

export interface LabHub {
  address: string;
  /** https://<address>:3000 */
  url: string;
  /** The hub's own CA (DATA_DIR/tls/ca.crt), as a bridge-point PC would have downloaded it. */
  caCertFile: string;
  process: ChildProcess;
  /** A REST call from the lab's console, over HTTPS trusting the hub's CA. */
  api<T = unknown>(method: string, route: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  /** Signs a sample account in; returns its bearer token. */
  login(username: string): Promise<string>;
  /** Schedules a meeting as the sample chair, inviting `codes`, and starts it; returns its id. */
  startMeeting(title: string, codes: string[]): Promise<string>;
  /** The processes in the hub's namespace (node, turnserver, a mediasoup-worker per worker), by program name. */
  processes(): Array<{ pid: number; name: string }>;
  stop(): Promise<void>;
}

/**
 * The hub as `npm start` runs it (HTTPS with its own CA, TURN on, media on every interface, the LAN address
 * detected and announced), started in a lab host's namespace with its data in a temp dir and no cameras.
 */
export async function startLabHub(lab: NetworkLab, hostName: string, extraEnv: Record<string, string> = {}): Promise<LabHub> {
  const { address } = lab.host(hostName);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-lab-data-'));
  const workerBin = process.env.MEDIASOUP_WORKER_BIN ?? findWorker();
  if (!workerBin) throw new Error('no mediasoup-worker on this machine: run `npm run setup` (npm test does) first');
  const output: string[] = [];
  const child = lab.spawn(hostName, process.execPath, [serverEntry], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      SEED_SAMPLE_DATA: 'true',
      SAMPLE_CAMERAS: 'false',
      LOG_LEVEL: 'warn',
      MEDIASOUP_WORKER_BIN: workerBin,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output.push(...chunk.split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 40));
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `https://${address}:${hubDefaultPorts.https}`;
  const caCertFile = path.join(dataDir, 'tls', 'ca.crt');
  const tokens = new Map<string, string>();

  // read anew until the hub answers (it writes the CA on its first start), then kept
  let ca: Buffer | undefined = undefined;
  const api: LabHub['api'] = (method, route, { token, body } = {}) =>
    httpsJson(`${url}${route}`, ca ?? fs.readFileSync(caCertFile), method, body, token) as never;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), delay(10_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
    // a hub killed before it stopped coturn leaves it running in the namespace: the lab kills it on close
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  // up when its HTTPS health check answers with the CA it made
  const deadline = Date.now() + 90_000;
  let lastAnswer = 'no CA yet';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`the lab's hub exited during start-up:\n${output.join('\n')}`);
    }
    if (fs.existsSync(caCertFile)) {
      const health = await api('GET', '/api/health').catch((error: unknown) => String(error));
      if (typeof health !== 'string' && health.status === 200) break;
      lastAnswer = typeof health === 'string' ? health : `status ${health.status}`;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the lab's hub did not answer on ${url} within 90 s (its last answer: ${lastAnswer}):\n${output.join('\n')}`);
    }
    await delay(250);
  }
  ca = fs.readFileSync(caCertFile);

  const login = async (username: string): Promise<string> => {
    const known = tokens.get(username);
    if (known) return known;
    const { status, body } = await api<{ token: string }>('POST', '/api/auth/login', {
      body: { username, password: defaultSamplePassword },
    });
    if (status !== 200) throw new Error(`sign-in as ${username}: ${status}`);
    tokens.set(username, body.token);
    return body.token;
  };

  return {
    address,
    url,
    caCertFile,
    process: child,
    api,
    login,
    async startMeeting(title, codes) {
      const chair = await login('chu-toa');
      const now = Date.now();
      const created = await api<{ id: string }>('POST', '/api/meetings', {
        token: chair,
        body: {
          title,
          hostLevel: 'PROVINCIAL',
          scheduledStart: new Date(now).toISOString(),
          scheduledEnd: new Date(now + 3_600_000).toISOString(),
          invitedCodes: codes,
        },
      });
      if (created.status !== 201) throw new Error(`scheduling a meeting: ${created.status}`);
      const started = await api('POST', `/api/meetings/${created.body.id}/start`, { token: chair });
      if (started.status !== 200) throw new Error(`starting the meeting: ${started.status}`);
      return created.body.id;
    },
    processes: () =>
      lab.processes(hostName).map((pid) => {
        let name = '';
        try {
          name = path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
        } catch {
          // gone meanwhile
        }
        return { pid, name };
      }),
    stop,
  };
}

/** One HTTPS request trusting only `ca`; JSON in and out. */
function httpsJson(url: string, ca: Buffer, method: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const request = https.request(
      url,
      {
        method,
        ca,
        timeout: 10_000,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = (response.headers['content-type'] ?? '').includes('json') && text.length > 0;
          resolve({ status: response.statusCode ?? 0, body: json ? (JSON.parse(text) as unknown) : text });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url}: no answer within 10 s`)));
    request.on('error', reject);
    request.end(payload);
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
