import { expect, test } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { apiCall, confirming, createMeeting, login, openSite } from './helpers.js';
import { HubProcess } from './hubProcess.js';

test('a hub for real use: no sample account; the first admin’s generated password is printed once and must be changed', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // the hub's own default: real use
  const hub = await HubProcess.start({ SEED_SAMPLE_DATA: '' });
  const context = await browser.newContext();
  try {
    const printed = /password: (\S+)/.exec(hub.output)?.[1];
    expect(printed, hub.output).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // on the console (stderr), never in the structured log on stdout
    expect(hub.log).toContain('"msg":');
    expect(hub.log).not.toContain(printed);
    const sample = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chu-toa', password: 'hop-truc-tuyen' }),
    });
    expect(sample.status).toBe(401);

    const page = await context.newPage();
    const demo = page.waitForResponse((r) => r.url().endsWith('/api/auth/demo'));
    await page.goto(hub.url);
    expect(await (await demo).json()).toEqual({ demo: false });
    await expect(page.getByTestId('demo-notice')).toHaveCount(0);
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(printed!);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    // nothing but the password change until it is done
    const form = page.getByTestId('password-form');
    await expect(form).toBeVisible();
    await form.locator('input[name="current"]').fill(printed!);
    await form.locator('input[name="new"]').fill('Quan-tri-tinh-2026');
    await form.locator('input[name="repeat"]').fill('Quan-tri-tinh-2026');
    await form.getByRole('button').click();
    await expect(page.getByTestId('accounts')).toBeVisible();
    // the session is an HttpOnly cookie the page's scripts cannot read
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'hub_session', httpOnly: true, secure: true, sameSite: 'Strict' });

    await page.getByPlaceholder('Tên đăng nhập').fill('van-thu');
    await page.getByPlaceholder('Họ tên / đơn vị').fill('Văn thư Văn phòng UBND tỉnh');
    await page.locator('form select').selectOption('SECRETARIAT');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await expect(page.getByTestId('temporary-password')).toContainText('van-thu');
    await expect(page.locator('[data-testid="accounts"] tr[data-username="van-thu"]')).toBeVisible();

    // two communes added, then merged into a new ward from 1 July 2025 (the reorganisation)
    await page.getByRole('button', { name: 'Điểm cầu' }).click();
    const units = page.getByTestId('units');
    for (const [code, name] of [
      ['XA-A', 'UBND xã A'],
      ['XA-B', 'UBND xã B'],
    ] as const) {
      const add = units.locator('form').nth(0);
      await add.getByPlaceholder('Mã').fill(code);
      await add.getByPlaceholder('Tên đơn vị').fill(name);
      await add.getByRole('button').click();
      await expect(units.locator(`tr[data-code="${code}"]`)).toBeVisible();
    }
    const merge = units.locator('form').nth(2);
    await merge.locator('select[multiple]').selectOption(['XA-A', 'XA-B']);
    await merge.getByPlaceholder('Mã').fill('PHUONG-AB');
    await merge.getByPlaceholder('Tên đơn vị').fill('UBND phường AB');
    await merge.locator('input[type="date"]').fill('2025-07-01');
    // a merger is asked for first, naming what it does
    const asked = await confirming(page, true, () => merge.getByRole('button').click());
    expect(asked).toBe(
      'Sáp nhập XA-A, XA-B thành PHUONG-AB – UBND phường AB? Các đơn vị cũ ngừng hoạt động, tài khoản của chúng chuyển sang đơn vị mới.',
    );
    await expect(units.locator('tr[data-code="XA-A"]')).toContainText('PHUONG-AB');
    await expect(units.locator('tr[data-code="XA-B"]')).toContainText('PHUONG-AB');
    await expect(units.locator('tr[data-code="PHUONG-AB"]')).toBeVisible();

    await page.getByRole('button', { name: 'Nhật ký quản trị' }).click();
    const audit = page.getByTestId('audit');
    for (const action of ['Tạo tài khoản', 'Đổi mật khẩu', 'Thêm điểm cầu', 'Sáp nhập đơn vị']) await expect(audit).toContainText(action);

    // printed once: the next start has an admin and prints no password; the admin's own password holds
    hub.signalGroup('SIGTERM');
    await hub.exited();
    await hub.restart();
    expect(hub.output).toMatch(/Server listening/);
    expect(hub.output).toContain(`Máy chủ họp đã sẵn sàng: mở http://127.0.0.1:${hub.port} trên trình duyệt.`);
    // real use: no sample accounts to name
    expect(hub.output).not.toMatch(/password: |no admin yet|Chế độ mẫu/);
    const again = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Quan-tri-tinh-2026' }),
    });
    expect(((await again.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(false);
  } finally {
    await context.close();
    await hub.close();
  }
});

test('a demo hub says so on its login page; a site whose account is disabled is signed out of the meeting at once', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${hubs.standard}/`);
  await expect(page.getByTestId('demo-notice')).toBeVisible();
  await context.close();

  // on the second hub: the first must show only last year's meetings to the reports spec
  const meetingId = await createMeeting(hubs.spread, ['XA-24']);
  const site = await openSite(browser, hubs.spread, meetingId, 'XA-24');
  try {
    await apiCall(hubs.spread, 'admin', 'PATCH', '/api/users/xa-24', { disabled: true });
    // told by its socket: back on the login page, without the page asking the server anything
    await expect(site.locator('input[name="password"]')).toBeVisible();
    const refused = await fetch(`http://127.0.0.1:${hubs.spread}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'xa-24', password: 'hop-truc-tuyen' }),
    });
    expect(refused.status).toBe(403);
  } finally {
    await apiCall(hubs.spread, 'admin', 'PATCH', '/api/users/xa-24', { disabled: false });
    await site.context().close();
  }
  expect((await login(hubs.spread, 'xa-24')).user).toMatchObject({ username: 'xa-24' });
});
