import { expect, test, type Page } from './fixtures.js';
import { apiCall, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: the audit trail it shows holds what this spec's own steps did
const ownHub = hubOfThisFile();

/** Words a Vietnamese page never writes, but an English or technical message does. */
const englishWords =
  /\b(the|is|are|not|must|error|failed|failure|timed out|internal|cannot|invalid|unknown|required|wrong|already|only|needs|please|should|such|found|denied|refused)\b/i;
/** A 12-hour clock is the English locale's: Vietnamese writes 19:36. */
const twelveHourClock = /\d:\d\d(:\d\d)? ?(AM|PM)\b/;
/** A raw code on a page: SCREAMING_CASE (INVALID_PAYLOAD, OFFICE_HOURS), an audit action or message key, JSON. */
const rawCodes = [
  /\b[A-Z]{2,}_[A-Z_]{2,}\b/,
  /\b(camera|meeting|user|bridgePoint|password|access|validation|audit|field|code)\.[a-zA-Z]+/,
  /\{"|":\s*["{[\d]/,
];

/** What a reader sees on the page (the text of what is shown), checked for English and raw codes. */
async function expectVietnameseOnly(page: Page, where: string): Promise<void> {
  // the language picker's own "English" is the one English word a Vietnamese page holds, by design
  const text = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const option of clone.querySelectorAll('option[value="en"]')) option.remove();
    document.body.append(clone);
    clone.style.position = 'absolute';
    const shown = clone.innerText;
    clone.remove();
    return shown;
  });
  const english = text.split('\n').filter((line) => englishWords.test(line) || twelveHourClock.test(line));
  const codes = text.split('\n').filter((line) => rawCodes.some((code) => code.test(line)));
  expect({ where, english, codes }).toEqual({ where, english: [], codes: [] });
}

async function expectRefusalShown(page: Page, where: string): Promise<void> {
  await expect(page.locator('.error').first(), where).toBeVisible();
  await expectVietnameseOnly(page, where);
}

test('every page of every role reads in Vietnamese, refusals included: no English, no raw code', async ({ browser }) => {
  const { port } = ownHub();
  // a few actions first, so the audit trail has entries to show in words
  await apiCall(port, 'admin', 'POST', '/api/users', { username: 'van-thu-moi', displayName: 'Văn thư mới', role: 'SECRETARIAT' });
  await apiCall(port, 'admin', 'PATCH', '/api/users/van-thu-moi', { disabled: true, role: 'BRIDGE_POINT', bridgePointCode: 'XA-02' });
  await apiCall(port, 'admin', 'POST', '/api/bridge-points', { code: 'PHUONG-THU', name: 'Phường Thử', level: 'COMMUNE' });

  const admin = await signedInPage(browser, port, 'admin', '/admin');
  await expect(admin.getByTestId('accounts')).toBeVisible();
  await expectVietnameseOnly(admin, 'admin: accounts');
  // a username that is taken, and one the server refuses by its form
  const accountForm = admin.locator('form', { has: admin.getByPlaceholder('Tên đăng nhập') });
  await accountForm.getByPlaceholder('Tên đăng nhập').fill('chu-toa');
  await accountForm.getByPlaceholder('Họ tên / đơn vị').fill('Trùng tên');
  await accountForm.getByRole('button').click();
  await expect(admin.locator('.error')).toContainText('Tên đăng nhập chu-toa đã có người dùng');
  await expectRefusalShown(admin, 'admin: a taken username');
  await accountForm.getByPlaceholder('Tên đăng nhập').fill('Nguyễn Văn A');
  await accountForm.getByRole('button').click();
  await expect(admin.locator('.error')).toContainText('Tên đăng nhập: 2–64 ký tự');
  await expectRefusalShown(admin, 'admin: a username with spaces and accents');

  // each tab checked once what it lists has arrived
  const loaded = {
    'Điểm cầu': admin.locator('[data-testid="units"] tr[data-code="PHUONG-THU"]'),
    Camera: admin.getByTestId('cameras').locator('form'),
    'Nhập từ tệp': admin.getByTestId('import-cameras'),
    'Cuộc họp': admin.getByTestId('scheduled-meetings'),
    'Nhật ký quản trị': admin.locator('[data-testid="audit"] td[data-action="bridgePoint.create"]'),
  };
  // every tab the page has is crawled: a new one without its check here fails
  expect(await admin.locator('nav.tabs button').allTextContents()).toEqual(['Tài khoản', ...Object.keys(loaded)]);
  for (const [tab, shown] of Object.entries(loaded)) {
    await admin.getByRole('button', { name: tab, exact: true }).click();
    await expect(shown.first()).toBeVisible();
    await expectVietnameseOnly(admin, `admin: ${tab}`);
  }
  // an import's dry run, each wrong row said in words
  await admin.getByRole('button', { name: 'Nhập từ tệp', exact: true }).click();
  const wrongUnits = ['STT,Mã đơn vị,Tên đơn vị,Cấp', '1,xa-01,,quận', '2,XA-01,UBND xã Trùng,xã'].join('\n');
  await admin.getByTestId('import-file-units').setInputFiles({ name: 'don-vi.csv', mimeType: 'text/csv', buffer: Buffer.from(wrongUnits) });
  await expect(admin.getByTestId('import-summary')).toHaveText('2 trong 2 dòng có lỗi. Hãy sửa tệp rồi chọn lại; chưa có gì được tạo.');
  await expectVietnameseOnly(admin, 'admin: an import with wrong rows');
  await admin.getByRole('button', { name: 'Nhật ký quản trị', exact: true }).click();
  // the audit trail in words: the action, its target and its detail
  const audit = admin.getByTestId('audit');
  await expect(audit.locator('td[data-action="user.update"]').first()).toHaveText('Sửa tài khoản');
  await expect(audit.locator('tr', { has: admin.locator('td[data-action="user.update"]') }).first()).toContainText('Tài khoản van-thu-moi');
  await expect(audit.locator('tr', { has: admin.locator('td[data-action="user.update"]') }).first()).toContainText('Vai trò: Điểm cầu');
  await expect(audit.locator('td[data-action="bridgePoint.create"]').first()).toHaveText('Thêm điểm cầu');

  await admin.getByRole('button', { name: 'Điểm cầu', exact: true }).click();
  const unitForm = admin.locator('form', { hasText: 'Thêm điểm cầu' }).first();
  await unitForm.getByPlaceholder('Mã', { exact: true }).fill('XA-01');
  await unitForm.getByPlaceholder('Tên đơn vị').fill('Trùng mã');
  await unitForm.getByRole('button').click();
  await expect(admin.locator('.error')).toContainText('Mã XA-01 đã được dùng cho một đơn vị khác');
  await expectRefusalShown(admin, 'admin: a taken unit code');

  for (const path of ['/meetings', '/reports', '/wall', '/account']) {
    await admin.goto(`http://127.0.0.1:${port}${path}`);
    await expect(admin.locator('main')).toBeVisible();
    await admin.waitForLoadState('networkidle');
    await expectVietnameseOnly(admin, `admin: ${path}`);
  }
  // a wrong current password, said by the server
  await admin.getByLabel('Mật khẩu hiện tại').fill('khong-phai-mat-khau');
  await admin.getByLabel('Mật khẩu mới (ít nhất 10 ký tự)').fill('mat-khau-moi-2026');
  await admin.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-moi-2026');
  await admin.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(admin.locator('.error')).toHaveText('Mật khẩu hiện tại không đúng.');
  await expectRefusalShown(admin, 'account: a wrong current password');

  for (const [username, paths] of [
    ['chu-toa', ['/chair', '/meetings', '/reports']],
    ['thu-ky', ['/reports', '/meetings']],
    ['giam-sat', ['/wall']],
    ['xa-01', ['/site']],
  ] as const) {
    const page = await signedInPage(browser, port, username, paths[0]);
    for (const path of paths) {
      await page.goto(`http://127.0.0.1:${port}${path}`);
      await expect(page.locator('main')).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectVietnameseOnly(page, `${username}: ${path}`);
    }
    await page.context().close();
  }
});
