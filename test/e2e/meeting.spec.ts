import { expect, test } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { apiCall, createMeeting, expectFlowing, openSite, remoteSiteCodes, signedInPage, videoCodecsAndLayers } from './helpers.js';
import { joinFromList } from '../network/labSite.js';

const sites = ['UBND-TINH', 'SO-NV', 'XA-01'] as const;

test('three bridge points see and hear each other, follow the active speaker, and see a site leave', async ({ browser }) => {
  const meeting = await createMeeting(hubs.standard, [...sites]);
  const pages = [];
  for (const site of sites) pages.push(await openSite(browser, hubs.standard, meeting, site));
  const [province, department, commune] = pages as [(typeof pages)[0], (typeof pages)[0], (typeof pages)[0]];

  // Every site shows the two others as tiles, and decodes video and receives audio from both.
  for (const [i, page] of pages.entries()) {
    const others = sites.filter((_, j) => j !== i).sort();
    await expect.poll(() => remoteSiteCodes(page)).toEqual(others);
    await expectFlowing(page, 'video', 2);
    await expectFlowing(page, 'audio', 2);
  }
  // Each camera is sent as three simulcast layers, in VP8 by default.
  for (const page of pages) {
    const { outboundRids, inboundVideoCodecs } = await videoCodecsAndLayers(page);
    expect(outboundRids).toEqual(['r0', 'r1', 'r2']);
    expect(inboundVideoCodecs).toEqual(['video/VP8', 'video/VP8']);
  }

  // Only the commune's microphone stays open: it becomes the active speaker, shown large everywhere.
  await province.getByTestId('toggle-mic').click();
  await department.getByTestId('toggle-mic').click();
  for (const page of [province, department]) {
    await expect(page.getByTestId('main-tile')).toHaveAttribute('data-site-code', 'XA-01');
    await expect(page.getByTestId('main-tile').getByText('Đang phát biểu')).toBeVisible();
  }

  // The commune goes quiet and the department speaks: the speaker changes.
  await commune.getByTestId('toggle-mic').click();
  await department.getByTestId('toggle-mic').click();
  for (const page of [province, commune]) {
    await expect(page.getByTestId('main-tile')).toHaveAttribute('data-site-code', 'SO-NV');
  }

  // The department leaves: its tile disappears from the other two sites.
  await department.getByTestId('leave').click();
  await expect(department.getByTestId('connection-state')).toHaveAttribute('data-state', 'left');
  await expect.poll(() => remoteSiteCodes(province)).toEqual(['XA-01']);
  await expect.poll(() => remoteSiteCodes(commune)).toEqual(['UBND-TINH']);
  await expectFlowing(province, 'video', 1);
});

test('a meeting spread over two workers (pipeToRouter) still delivers video and audio', async ({ browser }) => {
  const meeting = await createMeeting(hubs.spread, ['SO-YT', 'XA-02']);
  const first = await openSite(browser, hubs.spread, meeting, 'SO-YT');
  const second = await openSite(browser, hubs.spread, meeting, 'XA-02');

  const { routers } = await apiCall<{ routers: Array<{ workerIndex: number }> }>(
    hubs.spread,
    'chu-toa',
    'GET',
    `/api/meetings/${meeting}/media`,
  );
  expect(routers.map((r) => r.workerIndex).sort()).toEqual([0, 1]);

  for (const page of [first, second]) {
    await expectFlowing(page, 'video', 1);
    await expectFlowing(page, 'audio', 1);
  }
});

test('bridge points can send H.264 simulcast instead of VP8', async ({ browser }) => {
  const meeting = await createMeeting(hubs.standard, ['SO-TC', 'XA-03']);
  const first = await openSite(browser, hubs.standard, meeting, 'SO-TC', '&codec=h264');
  const second = await openSite(browser, hubs.standard, meeting, 'XA-03', '&codec=h264');
  for (const page of [first, second]) {
    await expectFlowing(page, 'video', 1);
    const { outboundRids, inboundVideoCodecs } = await videoCodecsAndLayers(page);
    expect(outboundRids).toEqual(['r0', 'r1', 'r2']);
    expect(inboundVideoCodecs).toEqual(['video/H264']);
  }
});

test('a page whose connection drops right after its join was admitted joins again by itself, not “failed”', async ({ browser }) => {
  const meeting = await createMeeting(hubs.standard, ['SO-XD', 'XA-04']);
  const other = await openSite(browser, hubs.standard, meeting, 'SO-XD');
  const page = await signedInPage(browser, hubs.standard, 'xa-04', '/site');
  // the page's socket.io connection passes through the test, which drops it once, just after the hub's answer that
  // the site is admitted: the page's next requests (capabilities, transports) then reach the hub on a new connection
  let dropped = false;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      ws.send(message);
      if (dropped || typeof message !== 'string' || !/^43\d+\[\{"ok":true,.*"admitted":true/.test(message)) return;
      dropped = true;
      ws.close().catch(() => undefined);
      server.close().catch(() => undefined);
    });
  });
  // the page's connection from now on goes through the route
  await page.reload();
  await joinFromList(page, meeting);
  await expect.poll(() => dropped).toBe(true);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  for (const viewer of [page, other]) {
    await expectFlowing(viewer, 'video', 1);
    await expectFlowing(viewer, 'audio', 1);
  }
});
