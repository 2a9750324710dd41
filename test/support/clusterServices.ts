import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../prisma/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listening(port: number, within: number, what: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + within;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port}`);
    await sleep(100);
  }
}

/** A service the test started, stopped with it. */
export interface TestService {
  process: ChildProcess;
  stop(): Promise<void>;
}

const stopper = (child: ChildProcess) => async () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
};

/** A Redis the test started: `url` carries its password (as REDIS_URL must). */
export interface TestRedis extends TestService {
  url: string;
}

/**
 * Debian's redis-server on a loopback port, nothing written to disk, with a password as in production. Its
 * configuration comes on stdin (`redis-server -`), so the password is on no command line.
 */
export async function startRedis(port: number): Promise<TestRedis> {
  const password = randomBytes(24).toString('hex');
  const child = spawn('redis-server', ['-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end([`port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', `requirepass ${password}`].join('\n') + '\n');
  await listening(port, 10_000, 'redis-server', child);
  return { process: child, stop: stopper(child), url: `redis://:${password}@127.0.0.1:${port}` };
}

/** HAProxy running the repository's deploy/haproxy.cfg, in front of the two nodes. */
export async function startBalancer(port: number, nodes: [string, string]): Promise<TestService> {
  const child = spawn('haproxy', ['-db', '-f', path.join(projectRoot, 'deploy/haproxy.cfg')], {
    stdio: 'ignore',
    env: { ...process.env, HUB_BIND: `127.0.0.1:${port}`, HUB_NODE1: nodes[0], HUB_NODE2: nodes[1] },
  });
  await listening(port, 10_000, 'haproxy', child);
  return { process: child, stop: stopper(child) };
}
