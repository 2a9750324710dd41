import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { apiCall, createMeeting, openChair, openSite, signedInPage } from './helpers.js';
import { hubs } from '../../playwright.config.js';
import { pdfDocument } from '../support/pdfDocuments.js';

/** Pixels of the document's first page that are not paper white: its text drawn, not an empty canvas. */
async function inkedPixels(viewer: Locator): Promise<number> {
  return viewer.locator('.document-page[data-page="1"] canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    // opaque and dark: a canvas never drawn is transparent black, which is no ink
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128) inked++;
    return inked;
  });
}

/** Opens the document from the list, checks its first page is drawn and reads as the PDF says, and closes it. */
async function readDocument(page: Page, list: Locator, fileName: string, firstPageText: string): Promise<void> {
  await list.getByRole('button', { name: fileName }).click();
  const viewer = page.getByTestId('document-viewer');
  await expect(viewer).toHaveAttribute('data-state', 'shown');
  await expect(viewer).toContainText('2 trang');
  const firstPage = viewer.locator('.document-page[data-page="1"]');
  await expect(firstPage).toHaveAttribute('data-drawn', 'true');
  // its text as PDF.js laid it over the picture (selectable, searchable, read aloud)
  await expect(firstPage.locator('.textLayer')).toHaveText(firstPageText);
  expect(await inkedPixels(viewer)).toBeGreaterThan(500);
  await viewer.getByTestId('document-close').click();
  await expect(viewer).toHaveCount(0);
}

test('the secretariat gives a meeting its agenda and a PDF; an invited site reads it in the page before and during the meeting, where every page shows the item under way', async ({
  browser,
}) => {
  const port = hubs.standard;
  const title = `Họp có chương trình ${Date.now()}`;
  const meetingId = await createMeeting(port, ['SO-YT', 'XA-05'], { start: false, title });

  // the secretariat writes the agenda on its page; nothing is edited before the agenda as stored arrives (a row added
  // meanwhile would be lost when it lands: held here until the editor is seen waiting)
  const clerk = await signedInPage(browser, port, 'thu-ky', '/meetings');
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const agendaUrl = `**/api/meetings/${meetingId}/agenda`;
  await clerk.route(agendaUrl, async (route) => {
    await held;
    await route.continue();
  });
  await clerk.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByTestId('agenda-edit').click();
  await expect(clerk.getByTestId('agenda-loading')).toHaveText('Đang tải chương trình…');
  await expect(clerk.getByTestId('agenda-add')).toHaveCount(0);
  release();
  const editor = clerk.getByTestId('agenda-editor');
  await expect(editor).toBeVisible();
  await clerk.unroute(agendaUrl);
  await editor.getByTestId('agenda-add').click();
  await editor.getByTestId('agenda-add').click();
  const [first, second] = [editor.getByTestId('agenda-row').nth(0), editor.getByTestId('agenda-row').nth(1)];
  await first.getByLabel('Nội dung').fill('Báo cáo kết quả chuyển đổi số năm 2026');
  await first.getByLabel('Điểm cầu trình bày').selectOption({ label: 'Sở Y tế' });
  await first.getByLabel('Số phút dự kiến').fill('20');
  await second.getByLabel('Nội dung').fill('Kết luận của Chủ tọa');
  await second.getByLabel('Số phút dự kiến').fill('10');
  await editor.getByTestId('agenda-save').click();
  await expect(editor.getByTestId('agenda-saved')).toBeVisible();
  const firstPageText = 'Báo cáo chuyển đổi số: 102 xã đã kết nối';
  await first.getByTestId('agenda-upload').setInputFiles({
    name: 'Báo cáo chuyển đổi số.pdf',
    mimeType: 'application/pdf',
    buffer: await pdfDocument([firstPageText, 'Phụ lục: danh sách điểm cầu']),
  });
  await expect(first.getByTestId('agenda-document')).toContainText('Báo cáo chuyển đổi số.pdf');
  await expect(first.getByTestId('agenda-document')).toContainText('2 trang');
  // what is not a PDF is refused in words, and nothing is added
  await second
    .getByTestId('agenda-upload')
    .setInputFiles({ name: 'ghi-chu.pdf', mimeType: 'application/pdf', buffer: Buffer.from('ghi chú') });
  await expect(editor.getByRole('alert')).toHaveText('Tệp không phải PDF: hãy lưu tài liệu dưới dạng PDF rồi tải lên.');
  await expect(second.getByTestId('agenda-document')).toHaveCount(0);

  // before the meeting, the invited site reads the agenda and opens the document in the page
  const health = await signedInPage(browser, port, 'so-yt', '/site');
  await health.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByTestId('agenda-show').click();
  const reading = health.getByTestId('agenda-reading');
  await expect(reading.getByTestId('agenda-item')).toHaveText([
    /Báo cáo kết quả chuyển đổi số năm 2026 — Sở Y tế, dự kiến 20 phút/,
    /Kết luận của Chủ tọa — Không có điểm cầu trình bày, dự kiến 10 phút/,
  ]);
  await readDocument(health, reading, 'Báo cáo chuyển đổi số.pdf', firstPageText);
  await health.close();

  // in the meeting: the chair takes the items up, and every page shows the one under way and its time
  await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/start`);
  const chair = await openChair(browser, port, meetingId);
  const site = await openSite(browser, port, meetingId, 'SO-YT');
  const commune = await openSite(browser, port, meetingId, 'XA-05');
  await expect(site.getByTestId('agenda-now')).toHaveCount(0);
  const panel = chair.getByTestId('agenda-panel');
  await panel.getByTestId('agenda-panel-item').first().getByTestId('agenda-take').click();
  for (const page of [chair, site, commune]) {
    const now = page.getByTestId('agenda-now');
    await expect(now).toContainText('Nội dung 1/2: Báo cáo kết quả chuyển đổi số năm 2026 — Sở Y tế');
    await expect(now.getByTestId('agenda-clock')).toHaveText(/^\d+:\d\d \/ 20:00$/);
    await expect(now).toHaveAttribute('data-over', 'false');
  }
  // the time used runs on each page
  const clock = commune.getByTestId('agenda-clock');
  const shown = await clock.textContent();
  await expect(clock).not.toHaveText(shown!);

  // during the meeting the site opens the document from the meeting's own page
  const details = site.getByTestId('agenda-details');
  await details.locator('summary').click();
  await readDocument(site, details, 'Báo cáo chuyển đổi số.pdf', firstPageText);

  await chair.getByTestId('agenda-next').click();
  for (const page of [site, commune]) await expect(page.getByTestId('agenda-now')).toContainText('Nội dung 2/2: Kết luận của Chủ tọa');
  await expect(panel.getByTestId('agenda-panel-item').first()).toContainText(/đã dùng \d+:\d\d \/ dự kiến 20 phút/);
  await chair.getByTestId('agenda-pause').click();
  for (const page of [chair, site, commune]) await expect(page.getByTestId('agenda-now')).toHaveCount(0);
  for (const page of [chair, site, commune]) await page.context().close();
  await clerk.context().close();
});
