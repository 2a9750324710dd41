import fs from 'node:fs';
import mammoth from 'mammoth';
import { expect, test } from './fixtures.js';
import { apiCall, confirming, createMeeting, openChair, signedInPage } from './helpers.js';
import { hubs } from '../../playwright.config.js';
import { readPdfPage } from '../support/pdfPictures.js';

test('the secretariat drafts the minutes of a meeting that ended, writes the conclusions, finalizes them and downloads the Word and PDF files', async ({
  browser,
}) => {
  const port = hubs.standard;
  const title = `Họp giao ban cải cách hành chính ${Date.now()}`;
  const meetingId = await createMeeting(port, ['SO-NV'], { title });
  await apiCall(port, 'chu-toa', 'PUT', `/api/meetings/${meetingId}/agenda`, {
    items: [{ title: 'Đánh giá chỉ số cải cách hành chính', presenterCode: 'SO-NV', plannedMinutes: 20 }],
  });
  const chair = await openChair(browser, port, meetingId);
  await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/end`);
  await chair.context().close();

  const clerk = await signedInPage(browser, port, 'thu-ky', '/meetings');
  await clerk.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByTestId('minutes-edit').click();
  const editor = clerk.getByTestId('minutes-editor');
  await editor.getByTestId('minutes-open').click();
  await expect(editor.getByTestId('minutes-version')).toHaveText([/Phiên bản 1: dự thảo/]);
  // the draft says what happened: the chair, the host site present, the absent one, the agenda
  const attendance = editor.locator('[data-testid="minutes-section"][data-heading="Thành phần tham dự"]');
  await expect(attendance.getByRole('textbox', { name: 'Thành phần tham dự: đoạn 1' })).toHaveValue('Chủ trì: Chủ tịch UBND tỉnh.');
  await expect(attendance.getByRole('textbox', { name: 'Thành phần tham dự: đoạn 4' })).toHaveValue('Vắng mặt: Sở Nội vụ.');
  await expect(
    editor.locator('[data-testid="minutes-section"][data-heading="Chương trình cuộc họp"]').getByLabel('Nội dung 1', { exact: true }),
  ).toHaveValue('Đánh giá chỉ số cải cách hành chính');
  // not final without the chair's conclusions
  await confirming(clerk, true, () => editor.getByTestId('minutes-finalize').click());
  await expect(editor.getByRole('alert')).toHaveText('Chưa ghi kết luận của chủ tọa: hãy ghi trước khi hoàn thành biên bản.');
  const conclusions = 'Giao Sở Nội vụ tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/01/2027.';
  await editor.getByRole('textbox', { name: 'Kết luận của chủ tọa: đoạn 1' }).fill(conclusions);
  await editor.getByLabel('Số, ký hiệu').fill('Số: 21/BB-VP');
  await editor.getByTestId('minutes-save').click();
  await expect(editor.getByTestId('minutes-saved')).toBeVisible();
  await confirming(clerk, true, () => editor.getByTestId('minutes-finalize').click());
  const final = editor.getByTestId('minutes-version').first();
  await expect(final).toHaveAttribute('data-status', 'FINAL');
  await expect(final.getByTestId('minutes-sha256')).toHaveText(/^SHA-256 [0-9a-f]{64}$/);
  await expect(editor.getByTestId('minutes-open')).toHaveText('Sửa biên bản (tạo phiên bản mới)');

  // the files as the secretariat downloads them: the Word file read back, the PDF drawn and read back
  const [docx] = await Promise.all([clerk.waitForEvent('download'), final.getByTestId('minutes-export-docx').click()]);
  expect(docx.suggestedFilename()).toMatch(/^Biên bản v1 .+\.docx$/);
  const { value: words } = await mammoth.extractRawText({ path: await docx.path() });
  for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Số: 21/BB-VP', 'BIÊN BẢN', title, conclusions])
    expect(words).toContain(expected);
  const [pdf] = await Promise.all([clerk.waitForEvent('download'), final.getByTestId('minutes-export-pdf').click()]);
  const { text } = await readPdfPage(fs.readFileSync(await pdf.path()), 1);
  for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'BIÊN BẢN', 'Số: 21/BB-VP'])
    expect(text).toContain(expected);
  await clerk.context().close();
});
