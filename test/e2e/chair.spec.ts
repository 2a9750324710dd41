import fs from 'node:fs';
import { expect, test } from './fixtures.js';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { answerRollCall, audioArriving, confirming, createMeeting, openChair, openSite, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: its first test finds the reports holding only last year's seeded meetings
const ownHub = hubOfThisFile();

test('the reports page opens on the latest year that had meetings, not on an empty new year', async ({ browser, request }) => {
  // this file's hub is new: the only meetings are last year's, seeded at its first start (this test runs first in it)
  const login = await request.post(`http://127.0.0.1:${ownHub().port}/api/auth/login`, {
    data: { username: 'thu-ky', password: 'hop-truc-tuyen' },
  });
  const { token } = (await login.json()) as { token: string };
  const held = await request.get(`http://127.0.0.1:${ownHub().port}/api/reports/years`, { headers: { authorization: `Bearer ${token}` } });
  const { years } = (await held.json()) as { years: Array<{ year: number; meetings: number }> };
  const lastYear = new Date().getFullYear() - 1;
  expect(years).toEqual([{ year: lastYear, meetings: 104 }]);

  const clerk = await signedInPage(browser, ownHub().port, 'thu-ky', '/reports');
  await expect(clerk.getByTestId('summary')).toHaveText(/^104 cuộc họp với [\d.]+ lượt đại biểu tham dự$/);
  await expect(clerk.locator(`[data-testid="report-year"][data-year="${lastYear}"]`)).toHaveAttribute('aria-pressed', 'true');
  // the current year is still offered, empty
  await clerk.locator(`[data-testid="report-year"][data-year="${lastYear + 1}"]`).click();
  await expect(clerk.getByTestId('summary')).toHaveText(/^0 cuộc họp/);
});

test('the chair mutes a site: its audio stops arriving at another site, and only the chair can lift it', async ({ browser }) => {
  const meeting = await createMeeting(ownHub().port, ['SO-NV', 'XA-01']);
  const chair = await openChair(browser, ownHub().port, meeting);
  const muted = await openSite(browser, ownHub().port, meeting, 'SO-NV');
  const listener = await openSite(browser, ownHub().port, meeting, 'XA-01');

  await expect.poll(() => audioArriving(listener, 'SO-NV')).toBe(true);
  await expect(chair.locator('[data-testid="site-row"][data-site-code="SO-NV"]')).toHaveAttribute('data-presence', 'connected');

  await chair.locator('[data-testid="site-row"][data-site-code="SO-NV"]').getByTestId('mute-site').click();
  await expect(chair.locator('[data-testid="site-row"][data-site-code="SO-NV"]')).toHaveAttribute('data-muted', 'true');
  await expect.poll(() => audioArriving(listener, 'SO-NV')).toBe(false);
  // The chair's own audio still arrives: only the muted site went silent.
  await expect.poll(() => audioArriving(listener, 'UBND-TINH')).toBe(true);
  await expect(muted.getByTestId('muted-by-chair')).toBeVisible();
  await expect(muted.getByTestId('toggle-mic')).toBeDisabled();

  // giving a muted site the floor unmutes it, and the chair's button says so before it is pressed
  const floor = chair.locator('[data-testid="site-row"][data-site-code="SO-NV"]').getByTestId('give-floor');
  await expect(floor).toHaveText('Cho phát biểu (bật lại micrô)');
  await floor.click();
  await expect(muted.getByTestId('muted-by-chair')).toBeHidden();
  await expect(muted.getByTestId('floor-notice')).toHaveText('Chủ tọa mời điểm cầu phát biểu: micrô của điểm cầu đang bật.');
  await expect(listener.getByTestId('floor-notice')).toHaveCount(0);
  await expect(floor).toHaveText('Cho phát biểu');
  await expect.poll(() => audioArriving(listener, 'SO-NV')).toBe(true);
});

test('a roll call with two sites fills the chair’s table; the secretariat downloads the export and its totals add up', async ({
  browser,
}) => {
  const title = `Họp điểm danh ${Date.now()}`;
  const meeting = await createMeeting(ownHub().port, ['SO-YT', 'XA-04'], { title });
  const chair = await openChair(browser, ownHub().port, meeting);
  const health = await openSite(browser, ownHub().port, meeting, 'SO-YT');
  const commune = await openSite(browser, ownHub().port, meeting, 'XA-04');

  await chair.getByTestId('roll-call-toggle').click();
  await answerRollCall(health, '12', 'Nguyễn Thị Hoa');
  await answerRollCall(commune, '8', 'Trần Văn Nam');
  await expect(chair.getByTestId('roll-call-row')).toHaveCount(2);
  await expect(chair.locator('[data-testid="roll-call-row"][data-site-code="SO-YT"]')).toHaveAttribute('data-head-count', '12');
  await expect(chair.getByTestId('roll-call-total')).toHaveText('20');
  await chair.getByTestId('roll-call-toggle').click();
  await expect(health.getByTestId('roll-call-form')).toBeHidden();

  await confirming(chair, true, () => chair.getByTestId('end-meeting').click());
  await expect(health.getByTestId('connection-state')).toHaveAttribute('data-state', 'ended');
  await expect(commune.getByTestId('connection-state')).toHaveAttribute('data-state', 'ended');
  // the chair's summary: the meeting's sites and delegates as the roll call counted them, and its report to download
  const summary = chair.getByTestId('meeting-summary');
  await expect(summary).toContainText(title);
  await expect(summary.getByTestId('summary-sites')).toHaveText('3 / 3 điểm cầu được mời');
  await expect(summary.getByTestId('summary-delegates')).toHaveText('20');
  await expect(summary.getByTestId('summary-recordings')).toHaveText('0');
  await expect(summary.getByTestId('summary-duration')).toHaveText(/^\d+ phút$/);
  const [attendance] = await Promise.all([
    chair.waitForEvent('download'),
    summary.getByRole('button', { name: 'Tải điểm danh (Excel)' }).click(),
  ]);
  expect(attendance.suggestedFilename()).toMatch(new RegExp(`^Điểm danh \\d{4}-\\d\\d-\\d\\d ${title}\\.xlsx$`));

  // The secretariat signs in through the form and lands on the reports page.
  const context = await browser.newContext();
  const clerk = await context.newPage();
  await clerk.goto(`http://127.0.0.1:${ownHub().port}/`);
  await clerk.locator('input[name="username"]').fill('thu-ky');
  await clerk.locator('input[name="password"]').fill('hop-truc-tuyen');
  await clerk.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(clerk.getByTestId('summary')).toHaveText(/^\d+ cuộc họp với [\d.]+ lượt đại biểu tham dự$/);
  await expect(clerk.getByTestId('chart').locator('svg').first()).toBeVisible();

  const [csvDownload] = await Promise.all([clerk.waitForEvent('download'), clerk.getByTestId('download-csv-meetings').click()]);
  const csv = fs.readFileSync(await csvDownload.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse<Record<string, string>>(csv, { bom: true, columns: true });
  const ours = rows.find((r) => r['Nội dung'] === title)!;
  expect(ours).toMatchObject({ 'Điểm cầu được mời': '3', 'Điểm cầu tham dự': '3', 'Lượt đại biểu': '20', 'Chủ trì': 'Cấp tỉnh' });
  const total = rows.at(-1)!;
  expect(total['Ngày họp']).toBe('Tổng cộng');
  const body = rows.slice(0, -1);
  expect(Number(total['Lượt đại biểu'])).toBe(body.reduce((n, r) => n + Number(r['Lượt đại biểu']), 0));
  expect(total['Nội dung']).toBe(`${body.length} cuộc họp`);
  const [, meetings, delegates] = /^(\d+) cuộc họp với ([\d.]+) lượt/.exec((await clerk.getByTestId('summary').textContent())!)!;
  expect(Number(meetings)).toBe(body.length);
  expect(Number(delegates!.replaceAll('.', ''))).toBe(Number(total['Lượt đại biểu']));

  const [xlsxDownload] = await Promise.all([clerk.waitForEvent('download'), clerk.getByTestId('download-xlsx').click()]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await xlsxDownload.path());
  expect(book.getWorksheet('Tổng hợp')!.getRow(5).values).toEqual([undefined, 'Tổng cộng', body.length, Number(total['Lượt đại biểu'])]);
});
