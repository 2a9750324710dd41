import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from './fixtures.js';
import { openDatabase } from '../../prisma/index.js';
import type { MeetingRecordingDto } from '../../shared/program.js';
import type { MeetingReport } from '../../shared/reports.js';
import { apiCall, createMeeting, expectFlowing, openChair, openSite } from './helpers.js';
import { HubProcess, ownTurnEnv } from './hubProcess.js';

/**
 * Faults an operator meets, on a hub process of the test's own with real Chromium sites: the SFU worker
 * of the meeting killed, the hub stopped (SIGTERM to its group, twice) and started again. The pages must
 * come back by themselves, without a reload, and attendance must tell what happened.
 */
test.describe.configure({ mode: 'serial' });

let hub: HubProcess | undefined;
test.afterEach(async ({ browser }) => {
  // the test's pages go with it, or they keep encoding their cameras through every later spec
  for (const context of browser.contexts()) await context.close();
  await hub?.close();
  hub = undefined;
});

const sites = ['SO-NV', 'SO-TC'];

/** The chair and two sites, each decoding the other two's video. */
async function meetingWithThreePages(browser: Browser, port: number) {
  const meetingId = await createMeeting(port, sites);
  const pages = [
    await openChair(browser, port, meetingId),
    ...(await Promise.all(sites.map((code) => openSite(browser, port, meetingId, code)))),
  ];
  for (const page of pages) {
    await expectFlowing(page, 'video', 2);
    // a mark in the document: still there later means the page was never reloaded
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  }
  return { meetingId, pages };
}

const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

/** Every connection-state the page shows from now on. */
async function recordStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __states: string[] }).__states = seen;
    const element = document.querySelector('[data-testid="connection-state"]')!;
    new MutationObserver(() => seen.push(element.getAttribute('data-state') ?? '')).observe(element, { attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { __states: string[] }).__states);
}

/** The meeting's three presences (the chair's and two sites') all ended between the stop signal and the exit, read from the stopped hub's database. */
async function expectPresencesEndedBetween(stopped: HubProcess, meetingId: string, stoppedAt: number, exitedAt: number) {
  const database = await openDatabase({ provider: 'sqlite', url: path.join(stopped.dataDir, 'hub.db') });
  const presences = await database.prisma.attendanceSession.findMany({ where: { meetingId } });
  await database.close();
  expect(presences).toHaveLength(3);
  for (const presence of presences) {
    expect(presence.leftAt).not.toBeNull();
    expect(presence.leftAt!.getTime()).toBeGreaterThanOrEqual(stoppedAt - 50);
    expect(presence.leftAt!.getTime()).toBeLessThanOrEqual(exitedAt);
  }
}

const meetingReport = (port: number, meetingId: string) =>
  apiCall<MeetingReport>(port, 'thu-ky', 'GET', `/api/reports/meetings/${meetingId}?format=json`);

test('the SIGKILL of the meeting’s SFU worker: the hub lives on, every page decodes again without a reload, presences run on', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  hub = await HubProcess.start();
  const { port } = hub;
  const { meetingId, pages } = await meetingWithThreePages(browser, port);
  const states = await Promise.all(pages.map(recordStates));
  const media = await apiCall<{ routers: Array<{ workerIndex: number }> }>(port, 'chu-toa', 'GET', `/api/meetings/${meetingId}/media`);
  const slot = media.routers[0]!.workerIndex;
  const pid = await hub.workerPid(slot);

  process.kill(pid, 'SIGKILL');
  for (const [i, page] of pages.entries()) {
    await expect.poll(states[i]!).toContain('reconnecting');
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
    await expectFlowing(page, 'video', 2);
    expect(await sameDocument(page)).toBe(true);
  }
  expect(hub.running, hub.output).toBe(true);
  // the slot has a new worker, and the death was logged at error (pino level 50)
  expect(await hub.workerPid(slot)).not.toBe(pid);
  expect(hub.output).toMatch(/"level":50[^\n]*mediasoup worker died/);
  // attendance continued: one presence per site, still open, no reconnect counted for the hub's fault
  const report = await meetingReport(port, meetingId);
  for (const code of ['UBND-TINH', ...sites])
    expect(report.sites.find((s) => s.code === code)).toMatchObject({ attended: true, lastLeftAt: null, reconnects: 0 });
});

test('SIGTERM to the hub’s process group, twice: it ends presences at the stop, is gone, and the pages rejoin the restarted hub by themselves', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  hub = await HubProcess.start();
  const { port } = hub;
  const { meetingId, pages } = await meetingWithThreePages(browser, port);

  const stoppedAt = Date.now();
  hub.signalGroup('SIGTERM');
  hub.signalGroup('SIGTERM');
  // how soon it is gone is measured by bench:recovery (BENCHMARKS.md); the hub's own deadline is 9 s
  await hub.exited();
  const exitedAt = Date.now();
  for (const page of pages) await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'reconnecting');

  // every presence of the meeting ended at the stop, none left open for the next start to guess at
  await expectPresencesEndedBetween(hub, meetingId, stoppedAt, exitedAt);

  await hub.restart();
  for (const page of pages) {
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
    await expectFlowing(page, 'video', 2);
    expect(await sameDocument(page)).toBe(true);
  }
  // back within the grace: each site's presence continues (one row, a reconnect), open again
  const report = await meetingReport(port, meetingId);
  for (const code of ['UBND-TINH', ...sites])
    expect(report.sites.find((s) => s.code === code)).toMatchObject({ attended: true, lastLeftAt: null, reconnects: 1 });
});

test('SIGTERM to the hub’s main process alone while the meeting is recorded with its sites speaking: it stops by itself, sites told, presences ended, no child left', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // coturn runs too: it must go with the hub like every other child
  hub = await HubProcess.start(await ownTurnEnv([52100, 52199]));
  const { port } = hub;
  const { meetingId, pages } = await meetingWithThreePages(browser, port);
  const recording = await apiCall<MeetingRecordingDto>(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/recordings`);
  const segmentsDir = path.join(hub.dataDir, 'meeting-recordings', meetingId, recording.id);
  const segments = () => (fs.existsSync(segmentsDir) ? fs.readdirSync(segmentsDir).sort() : []);
  // past the first segment: the voices have been mixed for a while (where the old decoder gave up)
  await expect.poll(() => segments().length, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  expect(hub.groupAlive).toBe(true);

  const stoppedAt = Date.now();
  hub.signal('SIGTERM');
  await hub.exited();
  const exitedAt = Date.now();
  // it finished its own stop (exit 0), not cut short by its deadline (exit 1)
  expect(hub.exitCode, hub.output).toBe(0);
  expect(hub.output).not.toMatch(/stopping took too long/);
  // the sites were told and wait for the hub to come back
  for (const page of pages) await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'reconnecting');
  // every presence ended at the stop
  await expectPresencesEndedBetween(hub, meetingId, stoppedAt, exitedAt);
  // no worker, ffmpeg or coturn outlives it
  await expect.poll(() => hub!.groupAlive).toBe(false);
  // what was recorded stays, no segment empty
  for (const name of segments()) expect(fs.statSync(path.join(segmentsDir, name)).size, name).toBeGreaterThan(0);
});
