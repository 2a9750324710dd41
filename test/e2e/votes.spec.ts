import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { answerRollCall, createMeeting, openChair, openSite } from './helpers.js';
import { hubs } from '../../playwright.config.js';

/** A site's answer on its page: its delegates for each choice, sent. */
async function answerVote(page: Page, counts: number[]): Promise<void> {
  const form = page.getByTestId('vote-form');
  for (const [i, count] of counts.entries()) await form.locator(`input[data-choice="${i}"]`).fill(String(count));
  await form.getByTestId('vote-send').click();
}

test('the chair puts an open and a secret vote to two sites; each answers within its roll call, one changes its mind; every page sees the result', async ({
  browser,
}) => {
  const port = hubs.standard;
  const meeting = await createMeeting(port, ['SO-YT', 'XA-04'], { title: `Họp biểu quyết ${Date.now()}` });
  const chair = await openChair(browser, port, meeting);
  const health = await openSite(browser, port, meeting, 'SO-YT');
  const commune = await openSite(browser, port, meeting, 'XA-04');
  await chair.getByTestId('roll-call-toggle').click();
  await answerRollCall(health, '12', 'Nguyễn Thị Hoa');
  await answerRollCall(commune, '8', 'Trần Văn Nam');
  // a site runs no vote of its own
  await expect(health.getByTestId('vote-panel')).toHaveCount(0);

  const panel = chair.getByTestId('vote-panel');
  await panel.getByLabel('Nội dung biểu quyết').fill('Thông qua kế hoạch chuyển đổi số năm 2027');
  await panel.getByTestId('vote-open').click();
  await expect(health.getByTestId('vote-form')).toContainText('Thông qua kế hoạch chuyển đổi số năm 2027');
  await answerVote(health, [9, 2, 1]);
  await expect(health.getByTestId('vote-sent')).toHaveText(
    'Đã gửi: Tán thành 9, Không tán thành 2, Không biểu quyết 1. Có thể sửa đến khi chủ tọa kết thúc biểu quyết.',
  );
  // more delegates than the roll call counted is refused, in words (each box alone stays within it)
  await answerVote(commune, [5, 4, 0]);
  await expect(commune.getByTestId('vote-form').locator('.error')).toHaveText('Tổng 9 đại biểu vượt số có mặt đã điểm danh (8).');
  await answerVote(commune, [6, 1, 1]);
  const tally = chair.getByTestId('vote-tally');
  await expect(tally.locator('[data-choice="0"]')).toHaveText('15');
  await expect(tally.locator('[data-choice="1"]')).toHaveText('3');
  await expect(chair.getByTestId('vote-answered')).toHaveText('2 điểm cầu đã biểu quyết (2 điểm cầu đã điểm danh).');
  // the sites do not see the running totals
  await expect(health.getByTestId('vote-tally')).toHaveCount(0);
  await panel.getByTestId('vote-close').click();
  for (const page of [health, commune, chair]) {
    const result = page.getByTestId('vote-result');
    await expect(result).toContainText('Thông qua kế hoạch chuyển đổi số năm 2027');
    await expect(result.locator('[data-choice="0"]')).toHaveText('Tán thành: 15 (75%)');
    await expect(result).toContainText('2 điểm cầu, 20 đại biểu đã biểu quyết.');
  }

  // a secret vote: one site changes its answer before the close
  await panel.getByLabel('Nội dung biểu quyết').fill('Bầu Trưởng ban chỉ đạo');
  await panel.getByText('Bỏ phiếu kín').click();
  await panel.getByTestId('vote-open').click();
  await expect(commune.getByTestId('vote-form')).toContainText('[Phiếu kín] Bầu Trưởng ban chỉ đạo');
  await answerVote(health, [12, 0, 0]);
  await expect(health.getByTestId('vote-sent')).toBeVisible();
  await answerVote(health, [10, 2, 0]);
  await expect(health.getByTestId('vote-sent')).toContainText('Tán thành 10, Không tán thành 2');
  await answerVote(commune, [8, 0, 0]);
  await expect(tally.locator('[data-choice="0"]')).toHaveText('18');
  await expect(tally.locator('[data-choice="1"]')).toHaveText('2');
  await panel.getByTestId('vote-close').click();
  const secretResult = commune.getByTestId('vote-result');
  await expect(secretResult).toContainText('[Phiếu kín] Bầu Trưởng ban chỉ đạo');
  await expect(secretResult.locator('[data-choice="0"]')).toHaveText('Tán thành: 18 (90%)');
  for (const page of [chair, health, commune]) await page.context().close();
});
