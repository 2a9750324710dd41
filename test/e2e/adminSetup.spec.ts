import { expect, test, type Page } from './fixtures.js';
import { apiCall, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: the accounts and units this spec changes are no other spec's
const ownHub = hubOfThisFile();

/** Does what asks for a confirmation, answers it, and returns what it asked. */
async function confirming(page: Page, accept: boolean, act: () => Promise<void>): Promise<string> {
  const [asked] = await Promise.all([
    page.waitForEvent('dialog').then(async (dialog) => {
      const message = dialog.message();
      await (accept ? dialog.accept() : dialog.dismiss());
      return message;
    }),
    act(),
  ]);
  return asked;
}

test('the admin finds accounts and units with or without accents, sees each answer beside what asked for it, and confirms what cannot be undone', async ({
  browser,
}) => {
  const { port } = ownHub();
  await apiCall(port, 'admin', 'POST', '/api/users', { username: 'anh-tuyet', displayName: 'Nguyễn Thị Ánh Tuyết', role: 'SECRETARIAT' });
  const page = await signedInPage(browser, port, 'admin', '/admin');
  const accounts = page.getByTestId('accounts');
  await expect(accounts.locator('tr[data-username="chu-toa"]')).toBeVisible();

  // search folds accents and đ: "tuyet" and "Tuyết" find the same row, nothing else
  for (const typed of ['tuyet', 'Ánh Tuyết', 'ANH TUYET']) {
    await page.getByTestId('search-accounts').fill(typed);
    await expect(accounts.locator('tbody tr')).toHaveCount(1);
    await expect(accounts.locator('tr[data-username="anh-tuyet"]')).toBeVisible();
  }
  await page.getByTestId('search-accounts').fill('không có ai tên này');
  await expect(page.getByText('Không có dòng nào khớp với từ tìm.')).toBeVisible();
  await page.getByTestId('search-accounts').fill('');

  // a refusal and a one-time password appear in the form that asked, not at the top of a 55-row page
  const form = page.locator('form', { has: page.getByPlaceholder('Tên đăng nhập') });
  await form.getByPlaceholder('Tên đăng nhập').fill('chu-toa');
  await form.getByPlaceholder('Họ tên / đơn vị').fill('Trùng');
  await form.getByRole('button').click();
  await expect(form.locator('.error')).toHaveText('Tên đăng nhập chu-toa đã có người dùng: hãy chọn tên khác.');
  await form.getByPlaceholder('Tên đăng nhập').fill('van-thu-moi');
  await form.locator('select').selectOption('SECRETARIAT');
  await form.getByRole('button').click();
  await expect(form.getByTestId('temporary-password')).toContainText('van-thu-moi');
  const row = accounts.locator('tr[data-username="anh-tuyet"]');
  await row.getByRole('button', { name: 'Cấp lại mật khẩu' }).click();
  await expect(row.getByTestId('temporary-password')).toContainText('anh-tuyet');

  // disabling is asked first: dismissed, nothing changes; accepted, the account is disabled
  const disable = () => row.getByRole('button', { name: 'Khóa' }).click();
  expect(await confirming(page, false, disable)).toMatch(/^Khóa tài khoản anh-tuyet \(Nguyễn Thị Ánh Tuyết\)\?/);
  await expect(row).toContainText('Đang dùng');
  await confirming(page, true, disable);
  await expect(row).toContainText('Đã khóa');

  // a unit's retirement likewise
  await page.getByRole('button', { name: 'Điểm cầu', exact: true }).click();
  // "dong son" finds "UBND xã Đông Sơn" (and no other)
  await page.getByTestId('search-units').fill('dong son');
  const units = page.getByTestId('units');
  await expect(units.locator('tbody tr')).toHaveCount(1);
  await expect(units.locator('tbody tr td:nth-child(2)')).toHaveText('UBND xã Đông Sơn');
  await page.getByTestId('search-units').fill('XA-09');
  const unit = units.locator('tr[data-code="XA-09"]');
  const retire = () => unit.getByRole('button', { name: 'Ngừng hoạt động' }).click();
  expect(await confirming(page, false, retire)).toMatch(/^Cho XA-09 – UBND xã .+ ngừng hoạt động\?/);
  await expect(unit).toContainText('Đang dùng');
  await confirming(page, true, retire);
  await expect(unit).toContainText('ngừng hoạt động từ');
});

test('an empty wall says what to do first, not "Trang 0/1"', async ({ browser }) => {
  const wall = await signedInPage(browser, ownHub().port, 'giam-sat', '/wall');
  await expect(wall.getByText('Chưa có camera nào trên tường: quản trị viên thêm camera ở trang Quản trị › Camera.')).toBeVisible();
  await expect(wall.getByTestId('page-number')).toHaveText('');
});
