import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { expect, test } from './fixtures.js';
import { apiCall, confirming, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: the accounts and units this spec changes are no other spec's
const ownHub = hubOfThisFile();

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

  // the filters beside the search: by role, by state, together
  await page.getByTestId('filter-role').selectOption({ label: 'Thư ký' });
  await expect(accounts.locator('tr[data-username="van-thu-moi"]')).toBeVisible();
  await expect(accounts.locator('tr[data-username="chu-toa"]')).toHaveCount(0);
  for (const role of await accounts.locator('tbody tr td:nth-child(3)').allTextContents()) expect(role).toBe('Thư ký');
  await page.getByTestId('filter-account-state').selectOption({ label: 'Đã khóa' });
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await expect(row).toBeVisible();
  await page.getByTestId('filter-role').selectOption({ label: 'Vai trò: tất cả' });
  await page.getByTestId('filter-account-state').selectOption({ label: 'Trạng thái: tất cả' });

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
  await page.getByTestId('search-units').fill('');
  await page.getByTestId('filter-unit-state').selectOption({ label: 'Đã ngừng hoặc sáp nhập' });
  await expect(units.locator('tbody tr')).toHaveCount(1);
  await expect(unit).toBeVisible();
  await page.getByTestId('filter-unit-state').selectOption({ label: 'Trạng thái: tất cả' });
  await page.getByTestId('filter-level').selectOption({ label: 'Điểm cầu cấp tỉnh' });
  await expect(unit).toHaveCount(0);
  for (const level of await units.locator('tbody tr td:nth-child(3)').allTextContents()) expect(level).toBe('Điểm cầu cấp tỉnh');
});

test('an empty wall says what to do first, not "Trang 0/1"', async ({ browser }) => {
  const wall = await signedInPage(browser, ownHub().port, 'giam-sat', '/wall');
  await expect(wall.getByText('Chưa có camera nào trên tường: quản trị viên thêm camera ở trang Quản trị › Camera.')).toBeVisible();
  await expect(wall.getByTestId('page-number')).toHaveText('');
});

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('the admin sets up units and their accounts from files: the template, a dry run that names each wrong row, the import, and a password sheet shown once', async ({
  browser,
}) => {
  const { port } = ownHub();
  const page = await signedInPage(browser, port, 'admin', '/admin');
  await page.getByRole('button', { name: 'Nhập từ tệp' }).click();
  const units = page.getByTestId('import-units');

  // the template, filled in as a clerk would, with two mistakes
  const [download] = await Promise.all([page.waitForEvent('download'), units.getByRole('button', { name: 'Tải mẫu Excel' }).click()]);
  expect(download.suggestedFilename()).toBe('Mẫu nhập đơn vị.xlsx');
  const template = await fs.promises.readFile(await download.path());
  const filled = async (rows: string[][]) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    workbook.worksheets[0]!.addRows(rows);
    return { name: 'don-vi.xlsx', mimeType: xlsxType, buffer: Buffer.from(await workbook.xlsx.writeBuffer()) };
  };
  await units.getByTestId('import-file-units').setInputFiles(
    await filled([
      ['XA-VINH-TE', 'UBND xã Vĩnh Tế', 'xã'],
      ['XA-VINH-TE', 'UBND xã Vĩnh Tế (2)', 'xã'],
      ['XA-MY-DUC', 'UBND xã Mỹ Đức', 'thị trấn'],
    ]),
  );
  const report = units.getByTestId('import-report');
  await expect(report.getByTestId('import-summary')).toHaveText('2 trong 3 dòng có lỗi. Hãy sửa tệp rồi chọn lại; chưa có gì được tạo.');
  await expect(report.locator('tr[data-line="3"] [data-testid="row-problems"]')).toHaveText('trùng với dòng 2 của tệp');
  await expect(report.locator('tr[data-line="4"] [data-testid="row-problems"]')).toHaveText(
    'Cấp: ghi “tỉnh” hoặc “xã” (xã, phường, đặc khu)',
  );
  await expect(units.getByTestId('import-apply-units')).toBeDisabled();

  await units.getByTestId('import-file-units').setInputFiles(
    await filled([
      ['XA-VINH-TE', 'UBND xã Vĩnh Tế', 'xã'],
      ['PHUONG-MY-DUC', 'UBND phường Mỹ Đức', 'phường'],
    ]),
  );
  await expect(report.getByTestId('import-summary')).toHaveText('Tệp “don-vi.xlsx” không có lỗi: 2 dòng sẵn sàng để nhập.');
  await units.getByTestId('import-apply-units').click();
  await expect(units.getByTestId('import-done')).toHaveText('Đã tạo 2 đơn vị.');

  // the accounts of those units, from a CSV; their one-time passwords come as a sheet to print
  const accounts = page.getByTestId('import-accounts');
  const csv = [
    'Tên đăng nhập,Tên hiển thị,Vai trò,Mã đơn vị',
    'vinhte,Điểm cầu xã Vĩnh Tế,điểm cầu,XA-VINH-TE',
    'myduc,Điểm cầu phường Mỹ Đức,điểm cầu,PHUONG-MY-DUC',
  ];
  await accounts
    .getByTestId('import-file-accounts')
    .setInputFiles({ name: 'tai-khoan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.join('\r\n')) });
  await expect(accounts.getByTestId('import-summary')).toContainText('2 dòng sẵn sàng để nhập');
  await accounts.getByTestId('import-apply-accounts').click();
  const sheet = page.getByTestId('password-sheet');
  await expect(sheet.getByRole('heading')).toHaveText('Phiếu mật khẩu dùng một lần (2 tài khoản)');
  const slip = sheet.locator('li[data-username="vinhte"]');
  await expect(slip).toContainText('Điểm cầu xã Vĩnh Tế');
  await expect(slip).toContainText(`http://127.0.0.1:${port}`);
  const password = (await slip.getByTestId('sheet-password').textContent())!.trim();
  expect(password).toMatch(/^[\w-]{16}$/);

  // printed, the sheet is all there is on paper
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('import')).toBeHidden();
  await expect(slip).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // the printed password signs the bridge point in, and asks for a password of its own
  const commune = await (await browser.newContext()).newPage();
  await commune.goto(`http://127.0.0.1:${port}/`);
  await commune.locator('input[name="username"]').fill('vinhte');
  await commune.locator('input[name="password"]').fill(password);
  await commune.locator('form button[type="submit"]').click();
  await expect(commune.getByText('Mật khẩu này do hệ thống cấp: hãy đặt mật khẩu của riêng bạn trước khi tiếp tục.')).toBeVisible();
  await commune.context().close();

  // closing is asked first; once closed, the passwords are gone from the page for good
  expect(await confirming(page, false, () => sheet.getByTestId('password-sheet-close').click())).toMatch(/^Đóng phiếu\?/);
  await expect(sheet).toBeVisible();
  await confirming(page, true, () => sheet.getByTestId('password-sheet-close').click());
  await expect(sheet).toHaveCount(0);
  await expect(page.getByText(password)).toHaveCount(0);
  await page.getByRole('button', { name: 'Nhật ký quản trị' }).click();
  await page.getByTestId('filter-audit-action').selectOption({ label: 'Nhập từ tệp' });
  await expect(page.getByTestId('audit').locator('tbody tr')).toHaveCount(2);
  const imported = page.getByTestId('audit').locator('tr', { hasText: 'Nội dung nhập: tài khoản' });
  await expect(imported).toContainText('Nhập từ tệp');
  await expect(imported).toContainText('Tệp: tai-khoan.csv');
  await expect(page.getByText(password)).toHaveCount(0);
  await page.context().close();
});
