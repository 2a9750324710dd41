import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from './fixtures.js';
import { startLabHub, type LabHub } from '../network/labHub.js';
import { launchSiteBrowser, signInThroughForm, sitePage } from '../network/labSite.js';
import { NetworkLab } from '../network/NetworkLab.js';
import type { Browser } from '@playwright/test';
import { z } from 'zod';

/**
 * The admin's first cameras, found rather than typed: a hub (as `npm start` runs it) in a namespace of its own
 * where two simulated counter cameras answer WS-Discovery, and the admin's browser on another host of the LAN.
 * Multicast stays inside the hub's namespace (its loopback), never on this machine's network.
 */
let lab: NetworkLab;
let hub: LabHub | undefined;
let browser: Browser | undefined;

test.afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  lab?.close();
});

test('the admin finds the counter cameras on the network and adds one from what the search found', async () => {
  lab = NetworkLab.create({ hosts: ['hub', 'desk'] });
  const { namespace } = lab.host('hub');
  execFileSync('ip', ['-n', namespace, 'link', 'set', 'lo', 'multicast', 'on']);
  execFileSync('ip', ['-n', namespace, 'route', 'add', '239.0.0.0/8', 'dev', 'lo']);
  const cameras = lab.spawn('hub', path.resolve('node_modules/.bin/tsx'), [path.resolve('test/cameras/discoverableCameras.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = (await once(createInterface({ input: cameras.stdout! }), 'line')) as [string];
  const { xaddrs } = z.object({ xaddrs: z.array(z.string()).min(2) }).parse(JSON.parse(firstLine));
  hub = await startLabHub(lab, 'hub');
  browser = await launchSiteBrowser(lab, 'desk', hub.caCertFile);
  const page = await sitePage(browser);
  await signInThroughForm(page, hub.url, 'admin');
  await page.getByRole('button', { name: 'Camera', exact: true }).click();
  await expect(page.getByText(/^Chưa có camera nào: tìm camera trong mạng/)).toBeVisible();

  const discovery = page.getByTestId('camera-discovery');
  await discovery.getByRole('button', { name: 'Tìm camera trong mạng' }).click();
  const found = (address: string) => discovery.locator(`tr[data-onvif-address="${address}"]`);
  for (const address of xaddrs) await expect(found(address)).toContainText('UBND xã Vĩnh Tế');
  await expect(discovery.locator('tbody tr')).toHaveCount(xaddrs.length);

  // what the camera says of itself goes into the form; the admin adds the counter and the camera's account
  await found(xaddrs[0]!).getByRole('button', { name: 'Điền vào biểu mẫu' }).click();
  const form = page.locator('form', { has: page.getByPlaceholder('Địa chỉ ONVIF') });
  await expect(form.getByPlaceholder('Địa chỉ ONVIF')).toHaveValue(xaddrs[0]!);
  await expect(form.getByPlaceholder('Đơn vị')).toHaveValue('UBND xã Vĩnh Tế');
  await form.getByPlaceholder('Quầy').fill('Quầy 1');
  await form.getByPlaceholder('Tài khoản camera').fill('onvif');
  await form.getByPlaceholder('Mật khẩu camera').fill('bí-mật-1');
  await form.getByRole('button', { name: 'Thêm camera' }).click();

  await expect(page.getByTestId('cameras').locator('tr[data-camera-id]', { hasText: xaddrs[0]! })).toContainText('UBND xã Vĩnh Tế');
  await expect(found(xaddrs[0]!)).toContainText('Đã có trong danh sách');
  await expect(found(xaddrs[1]!).getByRole('button', { name: 'Điền vào biểu mẫu' })).toBeVisible();
});
