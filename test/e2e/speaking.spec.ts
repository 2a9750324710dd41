import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { createMeeting, openChair, openSite } from './helpers.js';
import { hubs } from '../../playwright.config.js';

/** A site's request to speak from its page: a topic and its delegate, or neither (the controls' quick button). */
async function askToSpeak(page: Page, details?: { topic: string; delegateName: string }): Promise<void> {
  if (!details) return page.getByTestId('raise-hand').click();
  const form = page.getByTestId('speak-request');
  await form.getByLabel('Nội dung phát biểu (không bắt buộc)').fill(details.topic);
  await form.getByLabel('Người phát biểu (không bắt buộc)').fill(details.delegateName);
  await form.getByTestId('speak-ask').click();
}

test('three sites ask to speak; the chair takes them in an order it changes and declines one; every page counts the speech down into overtime', async ({
  browser,
}) => {
  const port = hubs.standard;
  const meeting = await createMeeting(port, ['SO-YT', 'XA-06', 'XA-07'], { title: `Họp đăng ký phát biểu ${Date.now()}` });
  const chair = await openChair(browser, port, meeting);
  const health = await openSite(browser, port, meeting, 'SO-YT');
  const commune6 = await openSite(browser, port, meeting, 'XA-06');
  const commune7 = await openSite(browser, port, meeting, 'XA-07');

  await askToSpeak(health, { topic: 'Kinh phí trạm y tế xã', delegateName: 'BS. Trần Thị Lan' });
  await expect(health.getByTestId('speak-place')).toHaveText('Đã đăng ký phát biểu: thứ 1/1.');
  await askToSpeak(commune6);
  await askToSpeak(commune7, { topic: 'Đường liên xã', delegateName: 'Ông Nguyễn Văn Bảy' });
  const queue = chair.getByTestId('speaking-request');
  await expect(queue).toHaveText([
    /^Sở Y tế \(BS\. Trần Thị Lan\) — Kinh phí trạm y tế xã/,
    /^UBND xã Đông Hòa ↑/,
    /^UBND xã Đông Sơn \(Ông Nguyễn Văn Bảy\) — Đường liên xã/,
  ]);
  await expect(commune7.getByTestId('speak-place')).toHaveText('Đã đăng ký phát biểu: thứ 3/3.');

  // the commune on a road matter first
  await queue.nth(2).getByRole('button', { name: 'Chuyển lên' }).click();
  await queue.nth(1).getByRole('button', { name: 'Chuyển lên' }).click();
  await expect(queue.first()).toHaveAttribute('data-site-code', 'XA-07');
  await expect(commune7.getByTestId('speak-place')).toHaveText('Đã đăng ký phát biểu: thứ 1/3.');
  // XA-06 is declined: it leaves the queue and its page says so
  await chair.locator('[data-testid="speaking-request"][data-site-code="XA-06"]').getByTestId('speech-decline').click();
  await expect(commune6.getByTestId('speak-declined')).toHaveText('Chủ tọa chưa mời điểm cầu phát biểu lần này.');
  await expect(queue).toHaveCount(2);

  // called with 30 seconds: every page shows the speaker and the time left, then the warning, then the overtime
  await chair.getByTestId('speech-limit').selectOption({ label: '30 giây' });
  await queue.first().getByTestId('speech-call').click();
  for (const page of [chair, health, commune6, commune7]) {
    const countdown = page.getByTestId('speaker-countdown');
    await expect(countdown).toContainText('Đang phát biểu: UBND xã Đông Sơn');
    await expect(countdown).toContainText('(Ông Nguyễn Văn Bảy) — Đường liên xã');
    await expect(countdown).toHaveAttribute('data-phase', 'speaking');
    await expect(countdown.getByTestId('countdown-clock')).toHaveText(/^còn 0:[0-3]\d$/);
  }
  await expect(commune7.getByTestId('floor-notice')).toBeVisible();
  await expect(commune7.getByTestId('speak-request')).toHaveCount(0);
  const watched = health.getByTestId('speaker-countdown');
  await expect(watched).toHaveAttribute('data-phase', 'warning');
  await expect(watched).toHaveAttribute('data-phase', 'overtime');
  await expect(watched.getByTestId('countdown-clock')).toHaveText(/^Quá giờ 0:\d\d$/);
  await expect(commune6.getByTestId('speaker-countdown')).toHaveAttribute('data-phase', 'overtime');

  // the next in the queue: the first speech ends as the second begins
  await queue.first().getByTestId('speech-call').click();
  await expect(commune7.getByTestId('speaker-countdown')).toContainText(
    'Đang phát biểu: Sở Y tế (BS. Trần Thị Lan) — Kinh phí trạm y tế xã',
  );
  await expect(queue).toHaveCount(0);
  await chair.getByTestId('speech-end').click();
  for (const page of [chair, health, commune6, commune7]) await expect(page.getByTestId('speaker-countdown')).toHaveCount(0);
  for (const page of [chair, health, commune6, commune7]) await page.context().close();
});
