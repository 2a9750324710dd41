import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../prisma/index.js';
import { joinAndProduce, opusParameters, startTestHub, testProvider, type TestHub } from './helpers.js';

/** One sample's value from Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((label) => have.includes(label))) return Number(match[3]);
  }
  return undefined;
}

describe(`metrics, liveness and readiness (${testProvider})`, () => {
  let hub: TestHub;
  const token = 'scrape-token-of-the-province';
  beforeAll(async () => {
    hub = await startTestHub({ workers: 2, metricsToken: token });
  });
  afterAll(async () => hub.close());

  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${token}` }) => fetch(`${hub.url}/metrics`, { headers });

  it('serves Prometheus metrics only with the scrape token', async () => {
    expect((await scrape({})).status).toBe(403);
    expect((await scrape({ authorization: 'Bearer not-the-token-at-all' })).status).toBe(403);
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('tells each worker’s life, CPU, memory and objects, the sites of a meeting, the cameras, the database and the event loop', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') })).status).toBe(200);
    const site = await hub.connect('so-nv');
    const { peerId } = await joinAndProduce(site, meeting.id, 'microphone', opusParameters(6100));
    const worker = String((await hub.media.existingRoom(meeting.id))!.peer(peerId).workerIndex);
    const text = await (await scrape()).text();

    for (const slot of ['0', '1']) {
      expect(sample(text, 'hub_worker_up', { worker: slot })).toBe(1);
      expect(sample(text, 'hub_worker_memory_bytes', { worker: slot })).toBeGreaterThan(1_000_000);
      expect(sample(text, 'hub_worker_cpu_seconds_total', { worker: slot })).toBeGreaterThan(0);
      expect(sample(text, 'hub_worker_info', { worker: slot, pid: String(hub.media.workerPool.slot(Number(slot)).worker.pid) })).toBe(1);
    }
    expect(sample(text, 'hub_routers', { worker })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hub_transports', { worker })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hub_producers', { worker, kind: 'audio' })).toBe(1);
    expect(sample(text, 'hub_worker_peers', { worker })).toBe(1);
    expect(sample(text, 'hub_bitrate_in_bps', { worker })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'hub_meeting_sites', { meeting: meeting.id, presence: 'connected' })).toBe(1);
    expect(sample(text, 'hub_meeting_sites', { meeting: meeting.id, presence: 'invited' })).toBe(1);
    expect(sample(text, 'hub_db_latency_seconds')).toBeGreaterThan(0);
    // each request the site made, answered, timed by event
    expect(sample(text, 'hub_signalling_event_seconds_count', { event: 'meeting:join' })).toBe(1);
    expect(sample(text, 'hub_signalling_event_seconds_count', { event: 'producer:create' })).toBe(1);
    expect(sample(text, 'hub_signalling_event_seconds_sum', { event: 'producer:create' })).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^# TYPE hub_cameras gauge$/m);
    expect(sample(text, 'hub_camera_wall_worker')).toBe((await hub.media.cameraHub()).workerIndex);
    // no death yet: each slot says 0 (the dashboard's panel shows 0, not "no data")
    for (const slot of ['0', '1']) expect(sample(text, 'hub_worker_deaths_total', { worker: slot })).toBe(0);
    // the SIP calls' worker: not started until a call needs it, then told as the others
    expect(sample(text, 'hub_calls_worker_up')).toBe(0);
    await hub.media.workerPool.callWorker();
    const withCalls = await (await scrape()).text();
    expect(sample(withCalls, 'hub_calls_worker_up')).toBe(1);
    expect(sample(withCalls, 'hub_calls_worker_memory_bytes')).toBeGreaterThan(1_000_000);
    expect(sample(withCalls, 'hub_calls_worker_cpu_seconds_total')).toBeGreaterThan(0);

    // a worker's death is counted, and its slot shows the replacement once it runs
    const replaced = new Promise((resolve) => hub.media.workerPool.once('workerReplaced', resolve));
    process.kill(hub.media.workerPool.slot(Number(worker)).worker.pid, 'SIGKILL');
    await replaced;
    const after = await (await scrape()).text();
    expect(sample(after, 'hub_worker_deaths_total', { worker })).toBe(1);
    expect(sample(after, 'hub_worker_up', { worker })).toBe(1);
    site.disconnect();
  });

  it('has a Grafana dashboard that queries only metrics the hub exposes', async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(projectRoot, 'observability', 'grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const queried = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((target) => target.expr.match(/\b(?:hub|nodejs|process)_[a-z0-9_]+/g) ?? []),
      ),
    );
    const exposed = new Set([...(await (await scrape()).text()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    expect(queried.size).toBeGreaterThan(10);
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('answers liveness and readiness without a sign-in, and keeps /metrics from other machines', async () => {
    expect(await (await fetch(`${hub.url}/api/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${hub.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const fromLan = await hub.app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(fromLan.statusCode).toBe(403);
  });
});

describe('metrics without a scrape token', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('answers the hub machine itself (loopback) and nobody else', async () => {
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(200);
    const fromLan = await hub.app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(fromLan.statusCode).toBe(403);
  });
});
