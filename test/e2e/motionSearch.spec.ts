import { expect, test } from './fixtures.js';
import { CameraSimulatorFarm, staffZone, type CameraScene } from '../../camera-gateway/simulator/index.js';
import { apiCall, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: its recorded camera would show on every other spec's wall
const ownHub = hubOfThisFile({ RECORDING_SEGMENT_SECONDS: '10' });

/** "YYYY-MM-DDTHH:MM:SS" in the province's time (UTC+7), as the time fields take it. */
const provinceTime = (date: Date) => new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The metadata's precision at a scene change (a key frame, then one analysed picture a second): not a speed. */
const boundaryMs = 3500;

test('a supervisor draws the desk on the picture, finds when someone moved there, plays it, bookmarks it; a covered camera is flagged on its tile', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort: 19680, ptzCameras: [] });
  let cameraId: number | undefined;
  try {
    await farm.showScene(1, 'emptyDesk');
    const camera = await apiCall<{ id: number }>(ownHub().port, 'admin', 'POST', '/api/cameras', {
      name: 'Quầy tìm kiếm',
      unitName: 'Trung tâm Phục vụ hành chính công tỉnh',
      counter: 'Quầy 2',
      ...farm.registration(1),
    });
    cameraId = camera.id;
    await apiCall(ownHub().port, 'admin', 'PATCH', `/api/cameras/${camera.id}`, { recordMode: 'ALWAYS' });
    const recordedUntil = async () => {
      const window = `from=${new Date(Date.now() - 600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
      const { ranges } = await apiCall<{ ranges: Array<{ end: string }> }>(
        ownHub().port,
        'giam-sat',
        'GET',
        `/api/cameras/${camera.id}/recordings?${window}`,
      );
      return Math.max(0, ...ranges.map((r) => Date.parse(r.end)));
    };
    const recordingFrom = Date.now();
    // well into the recording: the moments played below are not in its first seconds
    await expect.poll(recordedUntil, { timeout: 180_000, intervals: [1000] }).toBeGreaterThan(recordingFrom + 25_000);

    // someone at the desk for a while, then nobody, then someone in the waiting area only
    const shown: Array<{ scene: CameraScene; at: number }> = [];
    for (const scene of ['staff', 'emptyDesk', 'elsewhere', 'emptyDesk'] as const) {
      shown.push({ scene, at: Date.now() });
      await farm.showScene(1, scene);
      await sleep(12_000);
    }
    const [atDesk, deskEmpty] = shown.map((s) => s.at) as [number, number];
    await expect.poll(recordedUntil, { timeout: 180_000, intervals: [1000] }).toBeGreaterThan(Date.now() - 5000);

    const wall = await signedInPage(browser, ownHub().port, 'giam-sat', '/wall');
    const tile = wall.locator(`[data-testid="camera-tile"][data-camera-id="${camera.id}"]`);
    await tile.click();
    const dialog = wall.getByTestId('camera-enlarged');
    await dialog.getByTestId('view-playback').click();
    // a picture to draw on: the moment before anyone came to the desk
    await dialog.getByTestId('playback-jump').fill(provinceTime(new Date(atDesk - 5000)));
    await dialog.getByTestId('playback-go').click();
    const video = dialog.getByTestId('playback-video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames)).toBeGreaterThan(5);
    await dialog.getByTestId('playback-pause').click();

    // the desk, drawn with the mouse over the picture (the picker lies over the picture, not the letterbox around it)
    await dialog.getByTestId('motion-draw').click();
    const box = (await dialog.getByTestId('region-picker').boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(16 / 9, 1);
    // over the picture: inside the video element's box, not beside it
    const onScreen = (await video.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(onScreen.y - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(onScreen.y + onScreen.height + 1);
    await wall.mouse.move(box.x + staffZone.x * box.width, box.y + staffZone.y * box.height);
    await wall.mouse.down();
    await wall.mouse.move(box.x + (staffZone.x + staffZone.width) * box.width, box.y + (staffZone.y + staffZone.height) * box.height, {
      steps: 5,
    });
    await wall.mouse.up();
    const drawn = JSON.parse((await dialog.getByTestId('motion-region').getAttribute('data-region'))!) as typeof staffZone;
    expect(drawn.x).toBeCloseTo(staffZone.x, 1);
    expect(drawn.width).toBeCloseTo(staffZone.width, 1);

    await dialog.getByTestId('motion-from').fill(provinceTime(new Date(atDesk - 20_000)));
    await dialog.getByTestId('motion-to').fill(provinceTime(new Date()));
    await dialog.getByTestId('motion-find').click();
    // once: the waiting area's motion is outside the region
    await expect(dialog.getByTestId('motion-count')).toHaveAttribute('data-count', '1');
    const result = dialog.getByTestId('motion-result');
    expect(Math.abs(Date.parse((await result.getAttribute('data-start'))!) - atDesk)).toBeLessThan(boundaryMs);
    expect(Math.abs(Date.parse((await result.getAttribute('data-end'))!) - deskEmpty)).toBeLessThan(boundaryMs);
    await expect(dialog.getByTestId('timeline-motion')).toHaveCount(1);

    // the supervisor jumps to it: the frame on screen is the recording of that moment
    await result.getByTestId('motion-play').click();
    const frameTime = async () => Date.parse((await dialog.getByTestId('playback-time').getAttribute('data-time')) ?? '');
    await expect.poll(frameTime, { timeout: 60_000 }).toBeGreaterThan(atDesk - 6000);
    expect(await frameTime()).toBeLessThan(deskEmpty);

    await dialog.getByTestId('motion-note').fill('Cán bộ tiếp công dân tại quầy');
    await result.getByTestId('motion-bookmark').click();
    await expect(dialog.getByTestId('motion-message')).toContainText('Đã đánh dấu');
    await expect(dialog.getByTestId('timeline-bookmark')).toHaveCount(1);
    await expect(dialog.getByTestId('timeline-bookmark')).toHaveAttribute('title', /Cán bộ tiếp công dân tại quầy/);

    // the camera's own event (ONVIF) shows on the timeline beside the hub's motion once the page reads the marks again
    await expect.poll(() => farm.onvif.subscriptions.get('cam1') ?? 0).toBeGreaterThan(0);
    farm.raiseEvent(1, 'motion', true);
    await sleep(1500);
    farm.raiseEvent(1, 'motion', false);
    await expect
      .poll(async () => {
        await result.getByTestId('motion-play').click();
        return dialog.locator('[data-testid="timeline-device-event"][data-kind="MOTION"]').count();
      })
      .toBeGreaterThan(0);
    await dialog.getByRole('button', { name: 'Đóng' }).click();

    // covered: the tile and the wall say so, and stop saying so once the picture is back
    await farm.showScene(1, 'covered');
    await expect(tile.getByTestId('camera-tamper')).toHaveText(/Camera bị che/, { timeout: 60_000 });
    await expect(wall.getByTestId('tamper-alert')).toContainText('Quầy tìm kiếm');
    await farm.showScene(1, 'emptyDesk');
    await expect(tile.getByTestId('camera-tamper')).toHaveCount(0, { timeout: 60_000 });
    await expect(wall.getByTestId('tamper-alert')).toHaveCount(0);
    await wall.context().close();

    // the admin marks the counter's desk on a snapshot
    const admin = await signedInPage(browser, ownHub().port, 'admin', '/admin');
    await admin.getByRole('button', { name: 'Camera', exact: true }).click();
    await admin.locator(`tr[data-camera-id="${camera.id}"]`).getByTestId('staff-zone').click();
    const editor = admin.getByTestId('staff-zone-editor');
    await expect(editor.getByTestId('staff-zone-snapshot')).toBeVisible();
    // the picker lies over the snapshot once the image has its size
    const picker = editor.getByTestId('region-picker');
    await expect.poll(async () => (await picker.boundingBox())?.width ?? 0).toBeGreaterThan(100);
    const still = (await picker.boundingBox())!;
    const image = (await editor.getByTestId('staff-zone-snapshot').boundingBox())!;
    expect(Math.abs(still.y - image.y)).toBeLessThan(2);
    await admin.mouse.move(still.x + staffZone.x * still.width, still.y + staffZone.y * still.height);
    await admin.mouse.down();
    await admin.mouse.move(
      still.x + (staffZone.x + staffZone.width) * still.width,
      still.y + (staffZone.y + staffZone.height) * still.height,
      {
        steps: 5,
      },
    );
    await admin.mouse.up();
    await expect(editor.getByTestId('staff-zone-save')).toBeEnabled();
    await editor.getByTestId('staff-zone-save').click();
    await expect(editor).toHaveCount(0);
    const saved = await apiCall<Array<{ id: number; staffZone: typeof staffZone | null }>>(ownHub().port, 'admin', 'GET', '/api/cameras');
    const zone = saved.find((c) => c.id === camera.id)!.staffZone!;
    expect(zone.x).toBeCloseTo(staffZone.x, 1);
    expect(zone.height).toBeCloseTo(staffZone.height, 1);
    await admin.context().close();

    // a counter report's link to a moment opens that camera's recording there; the report page says what motion cannot tell
    const linked = await signedInPage(
      browser,
      ownHub().port,
      'giam-sat',
      `/wall?camera=${camera.id}&at=${encodeURIComponent(new Date(atDesk).toISOString())}`,
    );
    const linkedTime = async () => Date.parse((await linked.getByTestId('playback-time').getAttribute('data-time')) ?? '');
    await expect.poll(linkedTime).toBeGreaterThan(atDesk - 2000);
    expect(await linkedTime()).toBeLessThan(deskEmpty);
    await linked.goto(`http://127.0.0.1:${ownHub().port}/counters`);
    await expect(linked.getByTestId('counters-caveat')).toContainText('không phải nhận diện người');
    await linked.context().close();
  } finally {
    if (cameraId !== undefined) await apiCall(ownHub().port, 'admin', 'DELETE', `/api/cameras/${cameraId}`);
    await farm.close();
  }
});
