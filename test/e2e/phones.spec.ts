import { capturePeerConnections } from '../browser.js';
import { addSessionCookie } from '../support/sessionCookie.js';
import { expect, test, type Browser, type Page } from './fixtures.js';
import { answerRollCall, apiCall, createMeeting, login, openChair } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

const ownHub = hubOfThisFile();

/** Phones a commune official holds (small Android, iPhone, large Android) and a tablet both ways. */
const handhelds = [
  { name: 'phone 360', width: 360, height: 740 },
  { name: 'phone 390', width: 390, height: 844 },
  { name: 'phone 430', width: 430, height: 932 },
  { name: 'tablet upright', width: 768, height: 1024 },
  { name: 'tablet flat', width: 1024, height: 768 },
] as const;

async function pageAt(browser: Browser, size: { width: number; height: number }, username: string, path: string): Promise<Page> {
  const { port } = ownHub();
  const context = await browser.newContext({ viewport: size, hasTouch: size.width < 1100 });
  await addSessionCookie(context, `http://127.0.0.1:${port}`, (await login(port, username)).token);
  const page = await context.newPage();
  await page.addInitScript(capturePeerConnections);
  await page.goto(`http://127.0.0.1:${port}${path}`);
  return page;
}

/**
 * The page fits its screen: nothing scrolls sideways, and every control shown lies inside the screen's width and
 * takes a tap (nothing covers it once it is scrolled to).
 */
async function expectFits(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${where}: the page is wider than the screen`).toBeLessThanOrEqual(innerWidth);
  const controls = page.locator('button:visible, input:visible, select:visible, a[href]:visible');
  const count = await controls.count();
  expect(count, where).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    const box = (await control.boundingBox())!;
    const name = `${where}: ${await control.evaluate((element) => element.outerHTML.slice(0, 120))}`;
    expect(box.x, name).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, name).toBeLessThanOrEqual(innerWidth + 0.5);
    if (await control.isEnabled()) await control.click({ trial: true, timeout: 10_000 });
  }
}

for (const size of handhelds)
  test(`a bridge point on a ${size.name} (${size.width}×${size.height}): its list, the lobby, the meeting with the speaker large, the roll call and a raised hand`, async ({
    browser,
  }) => {
    const { port } = ownHub();
    const meeting = await createMeeting(port, ['XA-03'], {
      start: false,
      title: `Họp giao ban với các xã, phường sau sắp xếp đơn vị hành chính (${size.name})`,
    });
    const site = await pageAt(browser, size, 'xa-03', '/site');
    const row = site.locator(`[data-testid="meeting-row"][data-meeting-id="${meeting}"]`);
    await expect(row).toBeVisible();
    await expectFits(site, `${size.name}: the list of meetings`);

    await row.getByRole('button', { name: 'Tham gia' }).click();
    await expect(site.getByTestId('preview-video')).toBeVisible();
    await expectFits(site, `${size.name}: choosing the camera and microphone`);
    await site.getByTestId('preview-join').click();
    await expect(site.getByTestId('connection-state')).toHaveAttribute('data-state', 'waiting');
    await expectFits(site, `${size.name}: the lobby`);

    await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meeting}/start`);
    await expect(site.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
    const chair = await openChair(browser, port, meeting);
    // the speaker (here the chair's site) fills the screen's width
    const large = site.locator('.tile-large').first();
    await expect(large).toBeVisible();
    const { width } = (await large.boundingBox())!;
    expect(width, `${size.name}: the large tile`).toBeGreaterThan(size.width * 0.85);
    await expectFits(site, `${size.name}: in the meeting`);

    await site.getByTestId('raise-hand').click();
    await expect(chair.locator('[data-testid="site-row"][data-site-code="XA-03"]')).toHaveAttribute('data-hand', 'true');
    await chair.getByTestId('roll-call-toggle').click();
    await expect(site.getByTestId('roll-call-form')).toBeVisible();
    await expectFits(site, `${size.name}: the roll call`);
    await answerRollCall(site, '7', 'Lê Thị Thu');
    await expect(chair.locator('[data-testid="roll-call-row"][data-site-code="XA-03"]')).toHaveAttribute('data-head-count', '7');
  });

test('the chair’s console and the supervision wall are usable at 1366×768', async ({ browser }) => {
  const { port } = ownHub();
  const desktop = { width: 1366, height: 768 };
  const meeting = await createMeeting(port, ['XA-05', 'SO-NV']);
  const chair = await pageAt(browser, desktop, 'chu-toa', '/chair');
  await expect(chair.getByTestId('open-meeting').first()).toBeVisible();
  await expectFits(chair, 'the chair’s meetings');
  await chair.locator(`[data-testid="meeting-row"][data-meeting-id="${meeting}"]`).getByTestId('open-meeting').click();
  await expect(chair.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  await expectFits(chair, 'the chair’s console in a meeting');
  const wall = await pageAt(browser, desktop, 'giam-sat', '/wall');
  await expect(wall.locator('main')).toBeVisible();
  await wall.waitForLoadState('networkidle');
  await expectFits(wall, 'the supervision wall');
});
