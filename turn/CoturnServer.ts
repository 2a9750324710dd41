import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { CoturnOptions } from './CoturnServerTypes.js';
import { TurnServerError } from './errors.js';
import { ownedCommand } from '../processes/index.js';

const startTimeoutMs = 15_000;

/**
 * Debian's coturn run by the hub: a configuration of our own (shared-secret auth, TURN over UDP, TCP and
 * TLS with the hub's certificate, a bounded relay port range, no CLI), started as a child process and
 * stopped with it.
 */
export class CoturnServer {
  readonly options: CoturnOptions;
  readonly #process: ChildProcess;
  readonly #exited: Promise<void>;

  private constructor(options: CoturnOptions, child: ChildProcess, exited: Promise<void>) {
    this.options = options;
    this.#process = child;
    this.#exited = exited;
  }

  static async start(options: CoturnOptions): Promise<CoturnServer> {
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const configFile = path.join(options.dir, 'turnserver.conf');
    fs.writeFileSync(configFile, coturnConfig(options), { mode: 0o600 });
    await endOrphan(options, configFile);
    const log = options.log ?? ((line: string) => process.stderr.write(`[coturn] ${line}\n`));
    const recent: string[] = [];
    const child = spawn(...ownedCommand('turnserver', ['-c', configFile]), { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          recent.push(line);
          if (recent.length > 20) recent.shift();
          log(line);
        }
      });
    }
    const spawnFailed = new Promise<never>((_, reject) =>
      child.once('error', (error) => reject(new TurnServerError(`turnserver: ${error.message}`))),
    );
    const server = new CoturnServer(options, child, exited);
    try {
      await Promise.race([waitForListener(options, exited, recent), spawnFailed]);
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  async close(): Promise<void> {
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGTERM');
    const stopped = await Promise.race([this.#exited.then(() => true), delay(5000).then(() => false)]);
    if (!stopped) {
      this.#process.kill('SIGKILL');
      await this.#exited;
    }
    // a pid file left behind would name a process that is gone, or later another one
    fs.rmSync(path.join(this.options.dir, 'turnserver.pid'), { force: true });
  }
}

function coturnConfig(o: CoturnOptions): string {
  return [
    `listening-ip=${o.listenIp}`,
    `relay-ip=${o.listenIp === '0.0.0.0' ? (o.externalIp ?? o.listenIp) : o.listenIp}`,
    ...(o.externalIp && o.listenIp === '0.0.0.0' ? [`external-ip=${o.externalIp}`] : []),
    `listening-port=${o.port}`,
    `tls-listening-port=${o.tlsPort}`,
    // one port per protocol is enough: the alternate ports coturn opens by default are not wanted
    `alt-listening-port=0`,
    `alt-tls-listening-port=0`,
    `min-port=${o.relayMinPort}`,
    `max-port=${o.relayMaxPort}`,
    'fingerprint',
    'use-auth-secret',
    `static-auth-secret=${o.secret}`,
    `realm=${o.realm}`,
    ...(o.certFile && o.keyFile ? [`cert=${o.certFile}`, `pkey=${o.keyFile}`] : ['no-tls']),
    'no-tlsv1',
    'no-tlsv1_1',
    'no-dtls',
    'no-cli',
    'no-multicast-peers',
    'no-software-attribute',
    // browsers relay UDP to the SFU: no TCP relay, and no peer but the hub's media (allowed wins over denied)
    'no-tcp-relay',
    'denied-peer-ip=0.0.0.0-255.255.255.255',
    'denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ...o.allowedPeers.map((address) => `allowed-peer-ip=${address}`),
    ...(o.allowLoopbackPeers ? ['allow-loopback-peers'] : []),
    `userdb=${path.join(o.dir, 'turndb')}`,
    `pidfile=${path.join(o.dir, 'turnserver.pid')}`,
    'log-file=stdout',
    'simple-log',
    '',
  ].join('\n');
}

/**
 * A coturn of this hub still running from an earlier start (a hub killed before its children went with it):
 * found by its pid file and stopped, so the new one gets the ports and its readiness is its own. Anything
 * else holding the TURN port is not ours to stop: the start is refused, saying so.
 */
async function endOrphan(o: CoturnOptions, configFile: string): Promise<void> {
  const pidFile = path.join(o.dir, 'turnserver.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0;
  const commandLine = (p: number) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
  const ours = (p: number) => {
    try {
      const line = commandLine(p);
      return path.basename(line[0] ?? '') === 'turnserver' && line.includes(configFile);
    } catch {
      return false; // gone
    }
  };
  const host = o.listenIp === '0.0.0.0' ? '127.0.0.1' : o.listenIp;
  if (pid > 0 && ours(pid)) {
    process.kill(pid, 'SIGTERM');
    // its threads close its sockets as they end: gone when its port no longer answers
    for (let waited = 0; (await accepts(host, o.port)) && waited < 5000; waited += 100) await delay(100);
    if (ours(pid)) process.kill(pid, 'SIGKILL');
    for (let waited = 0; (await accepts(host, o.port)) && waited < 5000; waited += 100) await delay(100);
  }
  fs.rmSync(pidFile, { force: true });
  if (await accepts(host, o.port))
    throw new TurnServerError(
      `Cổng TURN ${o.port} trên ${host} đang bị một tiến trình khác chiếm (không phải coturn của hub này): dừng tiến trình đó hoặc đặt TURN_PORT khác.`,
    );
}

/** Up when its TCP port accepts connections; an exit before that is a failure with its last words. */
async function waitForListener(o: CoturnOptions, exited: Promise<void>, recent: string[]): Promise<void> {
  const host = o.listenIp === '0.0.0.0' ? '127.0.0.1' : o.listenIp;
  const deadline = Date.now() + startTimeoutMs;
  let gone = false;
  // exited never rejects
  exited.then(
    () => (gone = true),
    () => (gone = true),
  );
  while (!(await accepts(host, o.port))) {
    if (gone) throw new TurnServerError(`turnserver exited:\n${recent.join('\n')}`);
    if (Date.now() > deadline)
      throw new TurnServerError(`turnserver did not listen on ${host}:${o.port} within ${startTimeoutMs} ms:\n${recent.join('\n')}`);
    await delay(100);
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
