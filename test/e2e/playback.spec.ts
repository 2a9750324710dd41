import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { expect, test } from './fixtures.js';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { apiCall, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own, recording in 10 s segments: its camera would show on every other spec's wall
const ownHub = hubOfThisFile({ RECORDING_SEGMENT_SECONDS: '10' });

/** "YYYY-MM-DDTHH:MM:SS" in the province's time (UTC+7), as the jump field takes it. */
const provinceTime = (date: Date) => new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19);

test('a supervisor finds a moment on the timeline, plays it back at 1×–8× with frame steps and the frame’s time, locks it and exports a clip the audit page recognises', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort: 19500, ptzCameras: [] });
  let cameraId: number | undefined;
  try {
    const camera = await apiCall<{ id: number }>(ownHub().port, 'admin', 'POST', '/api/cameras', {
      name: 'Quầy xem lại',
      unitName: 'Trung tâm Phục vụ hành chính công tỉnh',
      counter: 'Quầy 1',
      ...farm.registration(1),
    });
    cameraId = camera.id;
    await apiCall(ownHub().port, 'admin', 'PATCH', `/api/cameras/${camera.id}`, { recordMode: 'ALWAYS' });
    const recordingFrom = Date.now();
    // recorded past the minute around the frames played below (from 20 s in, ± 30 s), in 10 s segments (the e2e hubs' RECORDING_SEGMENT_SECONDS)
    const recordedUntil = async () => {
      const window = `from=${new Date(recordingFrom - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
      const { ranges } = await apiCall<{ ranges: Array<{ end: string }> }>(
        ownHub().port,
        'giam-sat',
        'GET',
        `/api/cameras/${camera.id}/recordings?${window}`,
      );
      return Math.max(0, ...ranges.map((r) => Date.parse(r.end)));
    };
    await expect.poll(recordedUntil, { timeout: 180_000, intervals: [1000] }).toBeGreaterThan(recordingFrom + 70_000);

    const wall = await signedInPage(browser, ownHub().port, 'giam-sat', '/wall');
    const tile = wall.locator(`[data-testid="camera-tile"][data-camera-id="${camera.id}"]`);
    await expect(tile.getByTestId('camera-recording')).toHaveAttribute('data-recording', 'true');
    await tile.click();
    const dialog = wall.getByTestId('camera-enlarged');
    await dialog.getByTestId('view-playback').click();
    // the timeline opens with the camera, today's recordings on it, before anything is played (a recording
    // begun before the province's midnight has this day's part only once the day has some)
    await expect(dialog.getByTestId('timeline')).toBeVisible();
    await expect(dialog.getByTestId('playback-video')).toHaveCount(0);
    const provinceDay = (at: number) => Math.floor((at + 7 * 3_600_000) / 86_400_000);
    if (provinceDay(recordingFrom) === provinceDay(Date.now())) await expect(dialog.getByTestId('timeline-range')).not.toHaveCount(0);
    // the moment: 20 s into the recording (the field holds whole seconds)
    const moment = new Date(Math.floor((recordingFrom + 20_000) / 1000) * 1000);
    await dialog.getByTestId('playback-jump').fill(provinceTime(moment));
    await dialog.getByTestId('playback-go').click();
    await expect(dialog.getByTestId('timeline-range')).not.toHaveCount(0);

    const video = dialog.getByTestId('playback-video');
    const frames = () => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
    await expect.poll(frames).toBeGreaterThan(25);
    const frameTime = async () => Date.parse((await dialog.getByTestId('playback-time').getAttribute('data-time')) ?? '');
    // the frame on screen is the recording of the moment asked for (or just after: the key frame before it is where playback can start)
    const shownAt = await frameTime();
    expect(shownAt).toBeGreaterThanOrEqual(moment.getTime() - 1500);
    expect(shownAt).toBeLessThan(moment.getTime() + 15_000);

    // 4×: the player runs at four times the recording's pace, and the frame's time follows
    await dialog.getByTestId('playback-speed-4').click();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(4);
    const before = await frameTime();
    await expect.poll(frameTime).toBeGreaterThan(before + 5000);
    // a step: paused, one frame (40 ms) on
    await dialog.getByTestId('playback-pause').click();
    const paused = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
    await dialog.getByTestId('playback-step').click();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(paused + 0.04, 2);

    // evidence: lock the minute around the frame, export it; the audit page recognises the file, and not an altered one
    await dialog.getByTestId('lock-reason').fill('Công dân phản ánh thái độ phục vụ');
    await dialog.getByTestId('lock').click();
    await expect(dialog.getByTestId('playback-message')).toContainText('khóa');
    const download = wall.waitForEvent('download');
    await dialog.getByTestId('export-clip').click();
    const file = await (await download).path();
    const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    await expect(dialog.getByTestId('playback-message')).toContainText(sha256);

    // every read of the recording is on record: the playlist and each segment the player fetched
    const readBy = async (action: string) =>
      (
        await apiCall<Array<{ actor: string }>>(
          ownHub().port,
          'admin',
          'GET',
          `/api/audit?target=camera:${cameraId}&action=${action}&limit=500`,
        )
      ).map((e) => e.actor);
    expect(new Set(await readBy('camera.playback.playlist'))).toEqual(new Set(['giam-sat']));
    expect((await readBy('camera.playback.segment')).length).toBeGreaterThan(0);

    const audit = await signedInPage(browser, ownHub().port, 'admin', '/admin');
    await audit.getByRole('button', { name: /Nhật ký|Audit/ }).click();
    await audit.getByTestId('clip-file').setInputFiles(file);
    await expect(audit.getByTestId('clip-result')).toHaveAttribute('data-match', 'true');
    await expect(audit.getByTestId('clip-result')).toContainText('giam-sat');
    const altered = `${file}.altered.mp4`;
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    fs.writeFileSync(altered, bytes);
    await audit.getByTestId('clip-file').setInputFiles(altered);
    await expect(audit.getByTestId('clip-result')).toHaveAttribute('data-match', 'false');
    fs.rmSync(altered);
    await wall.context().close();
    await audit.context().close();
  } finally {
    if (cameraId !== undefined) {
      const locks = await apiCall<Array<{ id: number; releasedAt: string | null }>>(
        ownHub().port,
        'giam-sat',
        'GET',
        `/api/cameras/${cameraId}/locks?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`,
      );
      for (const lock of locks.filter((l) => !l.releasedAt))
        await apiCall(ownHub().port, 'giam-sat', 'POST', `/api/cameras/${cameraId}/locks/${lock.id}/release`, { reason: 'Đã xem xong' });
      await apiCall(ownHub().port, 'admin', 'DELETE', `/api/cameras/${cameraId}`);
    }
    await farm.close();
  }
});
