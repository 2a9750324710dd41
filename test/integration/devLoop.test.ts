import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pickPort } from 'pick-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../prisma/index.js';
import { testTempDir } from '../support/tempDirs.js';

/** `npm run dev` as a developer runs it: the server under tsx watch, the page from Vite's dev server. */
describe('the development loop', () => {
  let dev: ChildProcess;
  let output = '';
  let page: string;
  const watched = path.join(projectRoot, 'config', 'errors.ts');
  const { atime, mtime } = fs.statSync(watched);

  /** Polls until `check` passes (the loop starts two servers); gives up after `ms`. */
  async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`${what}: not seen; output so far:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const text = async (url: string) => {
    const response = await fetch(url);
    return response.ok ? response.text() : undefined;
  };
  const listening = () => output.split('Server listening at http://127.0.0.1').length - 1;

  beforeAll(async () => {
    const [hubPort, clientPort] = [await pickPort({ type: 'tcp', ip: '127.0.0.1' }), await pickPort({ type: 'tcp', ip: '127.0.0.1' })];
    page = `http://127.0.0.1:${clientPort}`;
    dev = spawn(process.execPath, ['scripts/dev.mjs'], {
      cwd: projectRoot,
      // its own process group, so the servers it starts are stopped with it even if a test fails
      detached: true,
      env: {
        ...process.env,
        PORT: String(hubPort),
        HOST: '127.0.0.1',
        DEV_CLIENT_PORT: String(clientPort),
        DATABASE_URL: path.join(testTempDir('hub-dev-'), 'hub.db'),
        SAMPLE_CAMERAS: 'false',
        MEDIA_WORKERS: '1',
        MEDIA_RTC_MIN_PORT: '46000',
        MEDIA_RTC_MAX_PORT: '46999',
        MEDIA_WEBRTC_SERVER_PORT: 'off',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [dev.stdout!, dev.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  });

  afterAll(async () => {
    fs.utimesSync(watched, atime, mtime);
    if (dev.exitCode !== null) return;
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    process.kill(-dev.pid!, 'SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
    if (!stopped) process.kill(-dev.pid!, 'SIGKILL');
  });

  it('serves the page from Vite with hot reload, and proxies REST and socket.io to the hub', async () => {
    const html = await eventually('the page', async () => {
      const body = await text(`${page}/`);
      return body?.includes('/@vite/client') ? body : undefined;
    });
    expect(html).toContain('<div id="root">');
    // React components come with Fast Refresh: an edit shows without a reload
    expect(await text(`${page}/src/App.tsx`)).toContain('import.meta.hot');
    const health = await eventually('the hub through the proxy', async () => {
      const response = await fetch(`${page}/api/health`);
      return response.status === 200 ? ((await response.json()) as unknown) : undefined;
    });
    expect(health).toMatchObject({ status: 'ok' });
    const handshake = await text(`${page}/socket.io/?EIO=4&transport=polling`);
    expect(handshake).toMatch(/^0\{"sid":/);
  });

  it('restarts the hub when a server file changes', async () => {
    const before = listening();
    expect(before).toBeGreaterThan(0);
    const now = new Date();
    fs.utimesSync(watched, now, now);
    await eventually('a restart', async () => (output.includes('change in ./config/errors.ts') && listening() > before ? true : undefined));
    const response = await fetch(`${page}/api/health`);
    expect(response.status).toBe(200);
  });
});
