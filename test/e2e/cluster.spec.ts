import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { startBalancer, startRedis, type TestService } from '../support/clusterServices.js';
import { freePort } from '../support/freePort.js';
import { postgresAdmin } from '../integration/helpers.js';
import { HubProcess } from './hubProcess.js';

const password = 'hop-truc-tuyen';

async function postgres(sql: string): Promise<void> {
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error('the cluster test needs TEST_POSTGRES_ADMIN_URL (npm test sets it)');
  await postgresAdmin(adminUrl, sql);
}

async function signIn(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** Which node answered each of `count` requests through the balancer (a fresh client each: no cookie unless given). */
async function answeringNodes(base: string, count: number, cookie?: string): Promise<string[]> {
  const nodes: string[] = [];
  for (let i = 0; i < count; i++) {
    // a request the balancer could not place (a node died under it) counts as unanswered
    const response = await fetch(`${base}/api/health/live`, { headers: cookie ? { cookie } : {} }).catch(() => undefined);
    nodes.push(response?.headers.get('x-hub-node') ?? 'unanswered');
  }
  return nodes;
}

const services: TestService[] = [];
const nodes: HubProcess[] = [];
const database = `hub_it_cluster_${randomBytes(4).toString('hex')}`;
test.afterEach(async () => {
  for (const node of nodes.splice(0)) await node.close();
  for (const service of services.splice(0)) await service.stop();
  await postgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

test('two hub nodes behind HAProxy share PostgreSQL and Redis: one address, sticky sessions, a chair’s action reaches a site on the other node, a dead node is taken out', async () => {
  test.setTimeout(180_000);
  await postgres(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(process.env.TEST_POSTGRES_ADMIN_URL!);
  databaseUrl.pathname = `/${database}`;
  const redisPort = await freePort();
  services.push(await startRedis(redisPort));
  // what every node shares: the database, Redis, and the key sealing camera and feed secrets
  const shared = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    CAMERA_CREDENTIALS_KEY: randomBytes(32).toString('hex'),
  };
  // one after the other: the first applies the migrations and the sample data
  for (const [i, rtc] of [
    [1, 45000],
    [2, 45500],
  ] as const) {
    nodes.push(
      await HubProcess.start({
        ...shared,
        NODE_ID: `node${i}`,
        MEDIA_RTC_MIN_PORT: String(rtc),
        MEDIA_RTC_MAX_PORT: String(rtc + 499),
        FEED_MIN_PORT: String(19470 + i * 10),
        FEED_MAX_PORT: String(19479 + i * 10),
      }),
    );
  }
  const [node1, node2] = nodes as [HubProcess, HubProcess];
  const balancerPort = await freePort();
  services.push(await startBalancer(balancerPort, [`127.0.0.1:${node1.port}`, `127.0.0.1:${node2.port}`]));
  const base = `http://127.0.0.1:${balancerPort}`;

  // one address: requests are spread over both nodes; with the balancer's cookie, one node keeps a browser
  await expect.poll(async () => new Set(await answeringNodes(base, 8)).size, { timeout: 15_000 }).toBe(2);
  const first = await fetch(`${base}/api/health/live`);
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  expect(new Set(await answeringNodes(base, 8, cookie))).toEqual(new Set([first.headers.get('x-hub-node')]));

  // the nodes' directory in Redis: both, with their workers
  const admin = await signIn(base, 'admin');
  const directory = async () =>
    (
      (await (await fetch(`${base}/api/cluster/nodes`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
        nodes: Array<{ nodeId: string; workers: unknown[] }>;
      }
    ).nodes;
  expect((await directory()).map((n) => n.nodeId)).toEqual(['node1', 'node2']);
  expect((await directory()).every((n) => n.workers.length === 2)).toBe(true);

  // a site waits in a meeting's lobby on node 2; the chair calls the meeting off on node 1: the site hears it
  const chair = await signIn(node1.url, 'chu-toa');
  const start = new Date(Date.now() + 3_600_000);
  const created = await fetch(`${node1.url}/api/meetings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${chair}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'Họp hai máy chủ',
      hostLevel: 'PROVINCIAL',
      scheduledStart: start.toISOString(),
      scheduledEnd: new Date(start.getTime() + 3_600_000).toISOString(),
      invitedCodes: ['SO-NV'],
    }),
  });
  const meeting = (await created.json()) as { id: string };
  const site: Socket<ServerToClientEvents, ClientToServerEvents> = io(node2.url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: await signIn(node2.url, 'so-nv') },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      site.once('connect', resolve);
      site.once('connect_error', reject);
    });
    const joined = await site.timeout(5000).emitWithAck('meeting:join', { meetingId: meeting.id });
    expect(joined.ok).toBe(true);
    const closed = new Promise<{ reason: string } | 'not told within 10 s'>((resolve) => {
      site.once('meeting:closed', resolve);
      setTimeout(() => resolve('not told within 10 s'), 10_000);
    });
    expect(
      (await fetch(`${node1.url}/api/meetings/${meeting.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${chair}` } }))
        .status,
    ).toBe(200);
    expect(await closed).toEqual({ reason: 'ended' });
  } finally {
    site.close();
  }

  // node 2 dies: the balancer sends everyone to node 1, and node 2 leaves the directory by itself
  node2.signalGroup('SIGKILL');
  await expect.poll(async () => new Set(await answeringNodes(base, 6)), { timeout: 10_000 }).toEqual(new Set(['node1']));
  await expect.poll(async () => (await directory()).map((n) => n.nodeId), { timeout: 10_000 }).toEqual(['node1']);
});
