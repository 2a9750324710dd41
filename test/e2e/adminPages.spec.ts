import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.js';
import { openDatabase } from '../../prisma/index.js';
import { ensureClips } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { OnvifSimulator } from '../../camera-gateway/simulator/OnvifSimulator.js';
import { apiCall, confirming, createMeeting, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: the audit trail it reads holds only what its own steps did
const ownHub = hubOfThisFile();

test('the admin adds a camera by its ONVIF address, sees its profiles, pins and deletes it; each step audited', async ({ browser }) => {
  const simulator = new OnvifSimulator(
    [
      {
        id: 'quay-admin',
        name: 'Quầy thử',
        location: 'Trung tâm Phục vụ hành chính công',
        username: 'onvif',
        password: 'mat-khau-camera',
        streams: { main: 'rtsp://127.0.0.1:9/quay-admin/main', sub: 'rtsp://127.0.0.1:9/quay-admin/sub' },
        encoding: 'H264',
        ptz: false,
        presets: [],
      },
    ],
    { snapshot: fs.readFileSync((await ensureClips()).snapshot) },
  );
  await simulator.start();
  const page = await signedInPage(browser, ownHub().port, 'admin', '/admin');
  try {
    await page.getByRole('button', { name: 'Camera', exact: true }).click();
    const cameras = page.getByTestId('cameras');
    const form = cameras.locator('form');
    await form.getByPlaceholder('Tên').fill('Quầy thử');
    await form.getByPlaceholder('Đơn vị').fill('Trung tâm Phục vụ hành chính công');
    await form.getByPlaceholder('Quầy').fill('Quầy 9');
    await form.getByPlaceholder('Địa chỉ ONVIF').fill(simulator.xaddr('quay-admin'));
    await form.getByPlaceholder('Tài khoản camera').fill('onvif');
    await form.getByPlaceholder('Mật khẩu camera').fill('mat-khau-camera');
    await form.getByRole('button').click();
    const row = cameras.locator('tr', { hasText: simulator.xaddr('quay-admin') });
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: 'Cấu hình luồng' }).click();
    await expect(page.getByTestId('camera-profiles')).toContainText('MainStream (main): H264 1280×720');
    await expect(page.getByTestId('camera-profiles')).toContainText('SubStream (sub): H264 640×360');
    await row.getByRole('button', { name: 'Ghim' }).click();
    await expect(row).toContainText('luôn kéo luồng');
    await row.getByRole('button', { name: 'Bỏ ghim' }).click();
    await expect(row).not.toContainText('luôn kéo luồng');
    await confirming(page, true, () => row.getByRole('button', { name: 'Xóa' }).click());
    await expect(row).toHaveCount(0);
    const audit = await apiCall<Array<{ action: string }>>(ownHub().port, 'admin', 'GET', '/api/audit?limit=10');
    expect(audit.map((e) => e.action).slice(0, 4)).toEqual(['camera.delete', 'camera.update', 'camera.update', 'camera.create']);
  } finally {
    await page.context().close();
    await simulator.stop();
  }
});

test('the admin changes a scheduled meeting’s subject on the page, then cancels it', async ({ browser }) => {
  const meetingId = await createMeeting(ownHub().port, ['SO-NV'], { start: false, title: 'Họp sẽ dời lịch' });
  const page = await signedInPage(browser, ownHub().port, 'admin', '/admin');
  try {
    await page.getByRole('button', { name: 'Cuộc họp', exact: true }).click();
    const row = page.locator(`[data-testid="scheduled-meetings"] tr[data-meeting-id="${meetingId}"]`);
    await row.getByRole('button', { name: 'Sửa' }).click();
    const editing = page.locator('[data-testid="scheduled-meetings"] tr', { has: page.getByRole('button', { name: 'Lưu' }) });
    await editing.locator('input').first().fill('Họp đã dời lịch');
    await editing.getByRole('button', { name: 'Lưu' }).click();
    await expect(row).toContainText('Họp đã dời lịch');
    await row.getByRole('button', { name: 'Hủy cuộc họp' }).click();
    await expect(row).toHaveCount(0);
    const meeting = await apiCall<{ status: string; title: string }>(ownHub().port, 'admin', 'GET', `/api/meetings/${meetingId}`);
    expect(meeting).toMatchObject({ status: 'CANCELLED', title: 'Họp đã dời lịch' });
  } finally {
    await page.context().close();
  }
});

test('an account disabled for its sample password says so on the accounts page; resetting its password enables it', async ({ browser }) => {
  // as the first start for real use leaves it (SEED_SAMPLE_DATA=false over a demo database)
  const database = await openDatabase({ provider: 'sqlite', url: path.join(ownHub().dataDir, 'hub.db') });
  try {
    await database.prisma.user.update({
      where: { username: 'xa-07' },
      data: { disabledAt: new Date(), disabledReason: 'SAMPLE_PASSWORD' },
    });
  } finally {
    await database.close();
  }
  const page = await signedInPage(browser, ownHub().port, 'admin', '/admin');
  try {
    const row = page.locator('[data-testid="accounts"] tr[data-username="xa-07"]');
    await expect(row).toHaveAttribute('data-disabled-reason', 'SAMPLE_PASSWORD');
    await expect(row).toContainText('Đã khóa');
    await expect(row).toContainText('còn mật khẩu mẫu');
    await row.getByRole('button', { name: 'Đặt lại mật khẩu và mở khóa' }).click();
    await expect(page.getByTestId('temporary-password')).toContainText('xa-07');
    await expect(row).toHaveAttribute('data-disabled-reason', '');
    await expect(row).toContainText('Đang dùng');
    await expect(row.getByRole('button', { name: 'Cấp lại mật khẩu' })).toBeVisible();
  } finally {
    await page.context().close();
  }
});

test('the admin pairs a bridge point with its room system on the units page: the SIP account is listed, its password never shown; a wrong one is refused in Vietnamese; unpaired after a confirmation', async ({
  browser,
}) => {
  const page = await signedInPage(browser, ownHub().port, 'admin', '/admin');
  try {
    await page.getByRole('button', { name: 'Điểm cầu', exact: true }).click();
    const systems = page.getByTestId('room-systems');
    const form = systems.locator('form');
    await form.getByRole('combobox', { name: 'Điểm cầu' }).selectOption('XA-02');
    await form.getByPlaceholder('Tên đăng nhập SIP').fill('phonghop-xa02');
    // a password with Vietnamese letters: room systems take none, and the form says so
    await form.getByPlaceholder('Mật khẩu SIP').fill('mật-khẩu-phòng-họp');
    await form.getByRole('button', { name: 'Lưu thiết bị' }).click();
    await expect(systems.locator('.error')).toContainText('không dấu');
    await form.getByPlaceholder('Mật khẩu SIP').fill('mat-khau-phong-hop-02');
    await form.getByRole('button', { name: 'Lưu thiết bị' }).click();
    const row = systems.locator('[data-testid="room-system-row"][data-code="XA-02"]');
    await expect(row).toContainText('phonghop-xa02');
    await expect(row).toContainText('Chưa đăng ký');
    await expect(page.locator('body')).not.toContainText('mat-khau-phong-hop-02');
    const audit = await apiCall<Array<{ action: string; detail: unknown }>>(ownHub().port, 'admin', 'GET', '/api/audit?limit=1');
    expect(audit[0]!.action).toBe('bridgePoint.roomSystem');
    expect(JSON.stringify(audit[0])).not.toContain('mat-khau-phong-hop-02');
    await confirming(page, true, () => row.getByRole('button', { name: 'Gỡ thiết bị' }).click());
    await expect(row).toHaveCount(0);
  } finally {
    await page.context().close();
  }
});
