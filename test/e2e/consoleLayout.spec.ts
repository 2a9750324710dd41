import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { answerRollCall, apiCall, createMeeting, signedInPage } from './helpers.js';
import { hubs } from '../../playwright.config.js';
import { joinFromList } from '../network/labSite.js';

/** The screen of a bridge point's PC and of many a chair's laptop. */
const screen = { width: 1366, height: 768 };

/** Where an element lies on the page as it first shows, unscrolled. */
async function boxOf(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box, `${locator.toString()} is shown`).not.toBeNull();
  return box!;
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${where}: wider than the screen`).toBeLessThanOrEqual(innerWidth);
}

test('on a 1366×768 screen the chair’s agenda, requests and vote sit beside the video, and a bridge point sees the speaker and the countdown without scrolling', async ({
  browser,
}) => {
  const port = hubs.standard;
  const meetingId = await createMeeting(port, ['SO-YT', 'XA-08', 'XA-09'], { title: `Họp trên màn hình 1366×768 ${Date.now()}` });
  await apiCall(port, 'chu-toa', 'PUT', `/api/meetings/${meetingId}/agenda`, {
    items: [
      { title: 'Báo cáo tình hình kinh tế – xã hội năm 2026 và kế hoạch năm 2027', presenterCode: 'SO-YT', plannedMinutes: 20 },
      { title: 'Thảo luận', presenterCode: null, plannedMinutes: 30 },
    ],
  });
  const chair = await signedInPage(browser, port, 'chu-toa', '/chair', screen);
  await chair.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByTestId('open-meeting').click();
  const sites: Record<string, Page> = {};
  for (const code of ['SO-YT', 'XA-08', 'XA-09']) {
    sites[code] = await signedInPage(browser, port, code.toLowerCase(), '/site', screen);
    await joinFromList(sites[code], meetingId);
    await expect(sites[code].getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  }
  const [health, speaker, waiting] = [sites['SO-YT']!, sites['XA-08']!, sites['XA-09']!];

  // a meeting under way: an item, a speech, a request waiting, a vote open
  await chair.getByTestId('roll-call-toggle').click();
  await answerRollCall(health, '10', 'Trần Thị Lan');
  await chair.getByTestId('agenda-panel').getByTestId('agenda-take').first().click();
  await speaker.getByTestId('raise-hand').click();
  await waiting.getByTestId('raise-hand').click();
  await chair.locator('[data-testid="speaking-request"][data-site-code="XA-08"]').getByTestId('speech-call').click();
  await chair.getByTestId('vote-panel').getByLabel('Nội dung biểu quyết').fill('Thông qua kế hoạch năm 2027');
  await chair.getByTestId('vote-open').click();
  await expect(chair.getByTestId('vote-tally')).toBeVisible();

  // the console: the video and the panel side by side, the panels in the panel's column, nothing sideways
  await expectNoSidewaysScroll(chair, 'chair');
  const stage = await boxOf(chair.locator('section.meeting'));
  const panel = await boxOf(chair.getByTestId('chair-panel'));
  expect(panel.x, 'the panel is beside the video, not under it').toBeGreaterThanOrEqual(stage.x + stage.width - 1);
  expect(panel.x + panel.width).toBeLessThanOrEqual(screen.width);
  const video = await boxOf(chair.getByTestId('main-tile'));
  expect(video.y, 'the large video starts on the first screen').toBeLessThan(screen.height / 2);
  for (const id of ['agenda-panel', 'speaking-panel', 'vote-panel']) {
    const box = await boxOf(chair.getByTestId(id));
    expect(box.x, id).toBeGreaterThanOrEqual(panel.x - 1);
    expect(box.x + box.width, id).toBeLessThanOrEqual(panel.x + panel.width + 1);
  }
  for (const control of ['agenda-next', 'speech-end', 'speech-call', 'vote-close'])
    await chair.getByTestId(control).first().click({ trial: true });

  // a bridge point: the speaker's picture and the countdown on the first screen, unscrolled
  for (const page of [health, waiting]) {
    await expectNoSidewaysScroll(page, 'site');
    const countdown = await boxOf(page.getByTestId('speaker-countdown'));
    expect(countdown.y + countdown.height, 'the countdown is on the first screen').toBeLessThanOrEqual(screen.height);
    const tile = page.getByTestId('main-tile');
    await expect(tile).toHaveAttribute('data-site-code', 'XA-08');
    const picture = await boxOf(tile);
    const shown = Math.min(picture.y + picture.height, screen.height) - Math.max(picture.y, 0);
    expect(shown / picture.height, 'most of the speaker’s picture is on the first screen').toBeGreaterThan(0.75);
  }
  for (const page of [chair, ...Object.values(sites)]) await page.context().close();
});
