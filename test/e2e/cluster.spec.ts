import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from './fixtures.js';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { startBalancer, startRedis, type TestService } from '../support/clusterServices.js';
import { freePort } from '../support/freePort.js';
import { postgresAdmin } from '../integration/helpers.js';
import { capturePeerConnections } from '../browser.js';
import { addSessionCookie } from '../support/sessionCookie.js';
import { answerRollCall, audioArriving, createMeeting, expectFlowing, remoteSiteCodes } from './helpers.js';
import { HubProcess } from './hubProcess.js';
import { joinFromList } from '../network/labSite.js';

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

/** A site's signalling connection to one node (no media, no reconnect), signed in as `username`. */
async function connectSite(url: string, username: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: await signIn(url, username) },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
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

/** PostgreSQL database, Redis, two hub nodes (node1, node2) and HAProxy with deploy/haproxy.cfg in front. */
async function startCluster(): Promise<{ node1: HubProcess; node2: HubProcess; base: string; balancerPort: number; databaseUrl: string }> {
  await postgres(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(process.env.TEST_POSTGRES_ADMIN_URL!);
  databaseUrl.pathname = `/${database}`;
  const redisPort = await freePort();
  const redis = await startRedis(redisPort);
  services.push(redis);
  // what every node shares: the database, Redis (with its password), the secret sealing their messages, and the key sealing camera and feed secrets
  const shared = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redis.url,
    CLUSTER_SECRET: randomBytes(32).toString('hex'),
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
  return { node1, node2, base: `http://127.0.0.1:${balancerPort}`, balancerPort, databaseUrl: databaseUrl.toString() };
}

test('two hub nodes behind HAProxy share PostgreSQL and Redis: one address, sticky sessions, a chair’s action reaches a site on the other node, a node stopped for patching leaves the other’s sites alone', async () => {
  test.setTimeout(180_000);
  const { node1, node2, base, databaseUrl } = await startCluster();

  // one address: requests are spread over both nodes; with the balancer's cookie, one node keeps a browser
  await expect.poll(async () => new Set(await answeringNodes(base, 8)).size).toBe(2);
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
  const site = await connectSite(node2.url, 'so-nv');
  try {
    const joined = await site.timeout(60_000).emitWithAck('meeting:join', { meetingId: meeting.id });
    expect(joined.ok).toBe(true);
    const closed = new Promise<{ reason: string }>((resolve) => site.once('meeting:closed', resolve));
    expect(
      (await fetch(`${node1.url}/api/meetings/${meeting.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${chair}` } }))
        .status,
    ).toBe(200);
    expect(await closed).toEqual({ reason: 'ended' });
  } finally {
    site.close();
  }

  // node 2 is stopped to be patched (SIGTERM) while a site is in a live meeting on node 1: that site is not
  // told to go nor disconnected, and its presence stays open (node 2 ends only its own sites' presences)
  const live = await createMeeting(node1.port, ['SO-NV']);
  const onNode1 = await connectSite(node1.url, 'so-nv');
  try {
    expect((await onNode1.timeout(60_000).emitWithAck('meeting:join', { meetingId: live })).ok).toBe(true);
    const toldToGo: string[] = [];
    onNode1.on('hub:restarting', () => toldToGo.push('hub:restarting'));
    onNode1.on('disconnect', (reason) => toldToGo.push(`disconnect: ${reason}`));
    node2.signalGroup('SIGTERM');
    await node2.exited();
    // the balancer sends everyone to node 1; node 2 left the directory as it stopped
    await expect.poll(async () => new Set(await answeringNodes(base, 6))).toEqual(new Set(['node1']));
    expect((await directory()).map((n) => n.nodeId)).toEqual(['node1']);
    expect(toldToGo).toEqual([]);
    expect(onNode1.connected).toBe(true);
    expect(await openPresences(databaseUrl, live)).toEqual([{ code: 'SO-NV', nodeId: 'node1' }]);
  } finally {
    onNode1.close();
  }
});

/** The presences still open in a meeting, with the node holding each. */
async function openPresences(databaseUrl: string, meetingId: string): Promise<Array<{ code: string; nodeId: string | null }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ code: string; nodeId: string | null }>(
      `SELECT b.code, a."nodeId" FROM "AttendanceSession" a JOIN "BridgePoint" b ON b.id = a."bridgePointId"
       WHERE a."meetingId" = $1 AND a."leftAt" IS NULL ORDER BY b.code`,
      [meetingId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** A browser placed on one node through the balancer (its sticky cookie), signed in, on `path`. */
async function pageOn(browser: Browser, base: string, node: 'node1' | 'node2', username: string, path: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'HUBNODE', value: node, url: base }]);
  await addSessionCookie(context, base, await signIn(base, username));
  const page = await context.newPage();
  await page.addInitScript(capturePeerConnections);
  await page.goto(`${base}${path}`);
  return page;
}

async function joinOn(browser: Browser, base: string, node: 'node1' | 'node2', meetingId: string, username: string): Promise<Page> {
  const chair = username === 'chu-toa';
  const page = await pageOn(browser, base, node, username, chair ? '/chair' : '/site');
  const row = page.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`);
  if (chair) await row.getByTestId('open-meeting').click();
  else await joinFromList(page, meetingId);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  return page;
}

test('one meeting across two nodes: three browsers on both decode each other, the chair on node 1 mutes sites on both nodes and holds a roll call, node 2 (the meeting’s home) dies and its site is back on node 1', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const { node2, base, balancerPort, databaseUrl } = await startCluster();
  const meetingId = await createMeeting(balancerPort, ['SO-NV', 'XA-01', 'XA-02']);
  // homed on node 2: asked there first, with both nodes idle (the chair on node 1 is then decided for on node 2)
  const admin = await signIn(base, 'admin');
  const homeOf = async (url: string) =>
    (
      (await (await fetch(`${url}/api/cluster/meetings/${meetingId}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
        home: string;
      }
    ).home;
  expect(await homeOf(node2.url)).toBe('node2');

  // the chair (the host site) and a commune on node 1, the department on node 2: through the one address
  const chair = await joinOn(browser, base, 'node1', meetingId, 'chu-toa');
  const department = await joinOn(browser, base, 'node2', meetingId, 'so-nv');
  const commune = await joinOn(browser, base, 'node1', meetingId, 'xa-01');
  // each decodes the two others' cameras, whichever node they are on (the pictures between nodes cross a pipe)
  for (const page of [chair, department, commune]) await expectFlowing(page, 'video', 2);
  await expect.poll(() => audioArriving(commune, 'SO-NV')).toBe(true);
  await expect.poll(() => audioArriving(department, 'XA-01')).toBe(true);
  const row = (code: string) => chair.locator(`[data-testid="site-row"][data-site-code="${code}"]`);
  await expect(row('SO-NV')).toHaveAttribute('data-presence', 'connected');

  // the chair on node 1 mutes the site on node 2 (decided at the home, node 2): its audio stops at the commune on node 1
  await row('SO-NV').getByTestId('mute-site').click();
  await expect(row('SO-NV')).toHaveAttribute('data-muted', 'true');
  await expect.poll(() => audioArriving(commune, 'SO-NV')).toBe(false);
  await expect(department.getByTestId('muted-by-chair')).toBeVisible();
  await expect.poll(() => audioArriving(commune, 'UBND-TINH')).toBe(true);
  // and the commune on node 1 (the home decides, node 1 pauses its microphone): the department stops hearing it
  await row('XA-01').getByTestId('mute-site').click();
  await expect.poll(() => audioArriving(department, 'XA-01')).toBe(false);
  await expect(commune.getByTestId('muted-by-chair')).toBeVisible();
  await row('XA-01').getByTestId('mute-site').click();
  await expect.poll(() => audioArriving(department, 'XA-01')).toBe(true);

  // a roll call the chair on node 1 opens (decided at the home, node 2), answered by a site on each node
  await chair.getByTestId('roll-call-toggle').click();
  await answerRollCall(department, '12', 'Nguyễn Thị Hoa');
  await answerRollCall(commune, '8', 'Trần Văn Nam');
  await expect(chair.getByTestId('roll-call-row')).toHaveCount(2);
  await expect(chair.getByTestId('roll-call-total')).toHaveText('20');
  await chair.getByTestId('roll-call-toggle').click();
  await expect(commune.getByTestId('roll-call-form')).toBeHidden();

  // a fourth site on node 2, signalling only, that will not come back
  const lost = await connectSite(node2.url, 'xa-02');
  expect((await lost.timeout(60_000).emitWithAck('meeting:join', { meetingId })).ok).toBe(true);
  await expect(row('XA-02')).toHaveAttribute('data-presence', 'connected');

  // node 2 dies: its site comes back through the balancer on node 1, node 1 becomes the meeting's home, the pictures flow again
  const killedAt = Date.now();
  node2.signalGroup('SIGKILL');
  // the page notices its connection gone (reconnecting), then is in the meeting again
  await expect(department.getByTestId('connection-state')).not.toHaveAttribute('data-state', 'joined');
  await expect(department.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined', { timeout: 60_000 });
  const rejoinedMs = Date.now() - killedAt;
  // its page decodes the two others again (the 1 s sample that shows it is counted in)
  await expectFlowing(department, 'video', 2);
  const decodingMs = Date.now() - killedAt;
  for (const page of [chair, commune]) await expectFlowing(page, 'video', 2);
  console.log(
    `node 2 killed → its site joined again on node 1 after ${(rejoinedMs / 1000).toFixed(1)} s, decoding both others by ${(decodingMs / 1000).toFixed(1)} s`,
  );
  await expect.poll(() => homeOf(base)).toBe('node1');
  // the new home shows the site that did not come back as reconnecting (left when the attendance grace runs out),
  // and the pages drop the tiles of the peers that were on node 2
  await expect(row('XA-02')).toHaveAttribute('data-presence', 'reconnecting');
  lost.close();
  await expect.poll(() => remoteSiteCodes(commune)).toEqual(['SO-NV', 'UBND-TINH']);
  // still muted, as the chair left it; present on the chair's console; the chair lifts the mute on the new home
  await expect(department.getByTestId('muted-by-chair')).toBeVisible();
  expect(await audioArriving(commune, 'SO-NV')).toBe(false);
  await expect(row('SO-NV')).toHaveAttribute('data-presence', 'connected');
  await row('SO-NV').getByTestId('mute-site').click();
  await expect.poll(() => audioArriving(commune, 'SO-NV')).toBe(true);

  // its attendance went on: one presence, open, reconnected once, now node 1's
  const attendance = new pg.Client({ connectionString: databaseUrl });
  await attendance.connect();
  try {
    const { rows } = await attendance.query<{ leftAt: Date | null; reconnects: number; nodeId: string | null }>(
      `SELECT a."leftAt", a.reconnects, a."nodeId" FROM "AttendanceSession" a JOIN "BridgePoint" b ON b.id = a."bridgePointId"
       WHERE a."meetingId" = $1 AND b.code = 'SO-NV'`,
      [meetingId],
    );
    // held by node 1 now: node 1 stamps it, and would close it if it stopped
    expect(rows).toEqual([{ leftAt: null, reconnects: 1, nodeId: 'node1' }]);
  } finally {
    await attendance.end();
  }
});
