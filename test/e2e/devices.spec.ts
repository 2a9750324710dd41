import { chromium, type Browser as PlaywrightBrowser } from '@playwright/test';
import { capturePeerConnections, chromiumArgs, chromiumPath, fakeMicrophoneArg } from '../browser.js';
import { addSessionCookie } from '../support/sessionCookie.js';
import { expect, test, type Page } from './fixtures.js';
import { createMeeting, flowingCount, login, openSite } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

const ownHub = hubOfThisFile();

/** A Chromium of this spec's own, with two fake cameras to choose between. */
async function launch(flags: { cameras?: number; askForPermission?: boolean }): Promise<PlaywrightBrowser> {
  const args = chromiumArgs
    // without the fake prompt, the browser answers as the site's settings say (here: blocked)
    .filter((arg) => !(flags.askForPermission && arg === '--use-fake-ui-for-media-stream'))
    .map((arg) => (arg === '--use-fake-device-for-media-stream' && flags.cameras ? `${arg}=device-count=${flags.cameras}` : arg));
  return chromium.launch({ executablePath: chromiumPath, args: [...args, fakeMicrophoneArg] });
}

async function sitePage(browser: PlaywrightBrowser, username: string, initScript?: () => void): Promise<Page> {
  const { port } = ownHub();
  const context = await browser.newContext();
  await addSessionCookie(context, `http://127.0.0.1:${port}`, (await login(port, username)).token);
  const page = await context.newPage();
  await page.addInitScript(capturePeerConnections);
  if (initScript) await page.addInitScript(initScript);
  await page.goto(`http://127.0.0.1:${port}/site`);
  return page;
}

const openPreview = async (page: Page, meetingId: string) => {
  await page.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByRole('button', { name: 'Tham gia' }).click();
  await expect(page.getByTestId('device-preview')).toBeVisible();
};
const previewPlays = (page: Page) => page.getByTestId('preview-video').evaluate((v: HTMLVideoElement) => v.videoWidth);

test('before joining, the site sees its camera, chooses among its devices, hears its microphone move the level; the choice is kept, and a camera is switched during the meeting', async () => {
  const browser = await launch({ cameras: 2 });
  try {
    const meeting = await createMeeting(ownHub().port, ['XA-06', 'SO-TC']);
    let site = await sitePage(browser, 'xa-06');
    await openPreview(site, meeting);
    await expect.poll(() => previewPlays(site)).toBeGreaterThan(0);
    // the fake microphone speaks: the level moves
    await expect.poll(async () => Number(await site.getByTestId('mic-level').getAttribute('data-level'))).toBeGreaterThan(0.05);
    const cameras = site.getByTestId('choose-camera').locator('option');
    await expect(cameras).toHaveCount(3); // the default, and the two cameras by name
    const second = (await cameras.nth(2).getAttribute('value'))!;
    await site.getByTestId('choose-camera').selectOption(second);
    await expect.poll(() => previewPlays(site)).toBeGreaterThan(0);
    const previewDevice = () =>
      site
        .getByTestId('preview-video')
        .evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getVideoTracks()[0]!.getSettings().deviceId);
    await expect.poll(previewDevice).toBe(second);

    // remembered by this browser: the next page opens the same camera (this one closed first: it held the camera)
    const context = site.context();
    await site.close();
    site = await context.newPage();
    await site.addInitScript(capturePeerConnections);
    await site.goto(`http://127.0.0.1:${ownHub().port}/site`);
    await openPreview(site, meeting);
    await expect(site.getByTestId('choose-camera')).toHaveValue(second);
    await expect.poll(previewDevice).toBe(second);
    await site.getByTestId('preview-join').click();
    await expect(site.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');

    // switched during the meeting, to the first camera: the others receive its picture. (This Chromium's second
    // fake camera shows in a <video> but feeds no RTCPeerConnection sender, so the picture is checked after the switch.)
    const viewer = await openSite(browser, ownHub().port, meeting, 'SO-TC');
    await site.getByTestId('show-devices').click();
    const listed = site.getByTestId('switch-camera').locator('option');
    await expect(listed).toHaveCount(2);
    const values = await listed.evaluateAll((options: HTMLOptionElement[]) => options.map((o) => o.value));
    const other = values.find((value) => value !== second)!;
    await site.getByTestId('switch-camera').selectOption(other);
    const sending = () =>
      site.evaluate(() => {
        const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
        const track = pcs.flatMap((pc) => pc.getSenders()).find((s) => s.track?.kind === 'video')?.track;
        return track?.getSettings().deviceId ?? null;
      });
    await expect.poll(sending).toBe(other);
    await expect.poll(() => flowingCount(viewer, 'video')).toBeGreaterThan(0);
    // remembered too: the next preview opens the camera switched to
    expect(await site.evaluate(() => localStorage.getItem('hub.devices'))).toContain(other);
  } finally {
    await browser.close();
  }
});

test('a denied permission, a missing camera and a camera held by another application are each said in words, with what to do', async () => {
  const meeting = await createMeeting(ownHub().port, ['XA-07']);
  const blocking = await launch({ askForPermission: true });
  try {
    // the camera and microphone refused for the hub's pages, as a site that once pressed "Block"
    const site = await sitePage(blocking, 'xa-07');
    const cdp = await site.context().newCDPSession(site);
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    for (const name of ['camera', 'microphone'])
      await cdp.send('Browser.setPermission', {
        permission: { name },
        setting: 'denied',
        origin: `http://127.0.0.1:${ownHub().port}`,
        browserContextId: targetInfo.browserContextId,
      });
    await openPreview(site, meeting);
    await expect(site.getByTestId('device-trouble')).toHaveText(
      'Trình duyệt chưa được phép dùng camera và micrô: bấm biểu tượng ổ khóa cạnh địa chỉ trang, chọn Cho phép camera và micrô, rồi bấm Thử lại.',
    );
    await expect(site.getByTestId('preview-join')).toBeDisabled();
    await expect(site.getByTestId('preview-retry')).toBeVisible();
  } finally {
    await blocking.close();
  }

  const browser = await launch({});
  try {
    // no camera on this PC: the browser's answer for a camera that is not there, the microphone still works
    const noCamera = await sitePage(browser, 'xa-07', () => {
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) =>
        constraints?.video ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) : open(constraints);
    });
    await openPreview(noCamera, meeting);
    await expect(noCamera.getByTestId('camera-trouble')).toHaveText(
      'Không tìm thấy camera: điểm cầu vẫn vào họp được bằng tiếng; cắm camera rồi chọn lại trong danh sách.',
    );
    await noCamera.getByTestId('preview-join').click();
    await expect(noCamera.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
    await expect(noCamera.getByTestId('camera-trouble')).toBeVisible();
    await noCamera.context().close();

    // the camera and microphone held by another application (Zoom, Teams): the browser cannot read them
    const busy = await sitePage(browser, 'xa-07', () => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Could not start video source', 'NotReadableError'));
    });
    await openPreview(busy, meeting);
    await expect(busy.getByTestId('device-trouble')).toHaveText(
      'Camera hoặc micrô đang được một ứng dụng khác dùng (Zoom, Teams, Zalo…): đóng ứng dụng đó rồi bấm Thử lại.',
    );
    await expect(busy.getByTestId('preview-join')).toBeDisabled();
  } finally {
    await browser.close();
  }
});
