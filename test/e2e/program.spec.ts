import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { chromaOfEachPicture, levels, probe, receiveStream, soundLevelEachSecond } from '../support/streamReceiver.js';
import { apiCall, login, createMeeting, openChair, openSite } from './helpers.js';

const secondsOf = (ms: number) => ms / 1000;

test('the chair pushes the program of browsers’ cameras and voices to an SRT listener, records it; every page says so; the recording downloads', async ({
  browser,
}) => {
  const meeting = await createMeeting(hubs.standard, ['SO-NV']);
  const chair = await openChair(browser, hubs.standard, meeting);
  const site = await openSite(browser, hubs.standard, meeting, 'SO-NV');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-program-'));
  // Chromium's fake cameras (VP8 simulcast) and beeping microphones: the program decodes and mixes them
  // half a minute of it: the camera's first picture waits for its key frame, which took over 8 s on a busy machine
  const received = receiveStream('srt://127.0.0.1:19540', path.join(dir, 'program.ts'), 30);
  try {
    const panel = chair.getByTestId('program-panel');
    await panel.getByTestId('output-url').fill('srt://127.0.0.1:19540');
    await panel.getByTestId('add-output').click();
    await expect(panel.getByTestId('output-row')).toHaveAttribute('data-state', 'live');
    await expect(panel.getByTestId('program-showing')).toContainText(/UBND-TINH|SO-NV/);

    // recording, while the listener receives: every page says so while it lasts
    await panel.getByTestId('record').click();
    const startedAt = Date.now();
    await expect(site.getByTestId('recording-notice')).toBeVisible();
    await expect(chair.getByTestId('recording-notice')).toBeVisible();

    expect(await received.ended).toBe(0);
    const media = await probe(path.join(dir, 'program.ts'));
    expect(media.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    // the program is black until the shown camera's first key frame (asked for at once, then every second), then
    // shows it from there on: Chromium's fake camera draws luma only (chroma 0, a green picture), black has chroma 128
    const pictures = await chromaOfEachPicture(path.join(dir, 'program.ts'));
    const firstCamera = pictures.findIndex((p) => p.chromaU < 64);
    expect(firstCamera, 'the camera never shown').toBeGreaterThanOrEqual(0);
    const shown = pictures.slice(firstCamera);
    expect(shown.filter((p) => p.chromaU >= 64)).toEqual([]);
    expect(shown.length).toBeGreaterThan(25);
    // and the voices with it
    expect((await levels(path.join(dir, 'program.ts'), shown[0]!.seconds)).meanVolumeDb).toBeGreaterThan(-60);

    // the chair shows the site that presents
    await site.getByTestId('present').click();
    await panel.getByTestId('program-source').selectOption('presentation');
    await expect(panel.getByTestId('program-showing')).toContainText('SO-NV');

    const { token } = await login(hubs.standard, 'thu-ky');
    const recordings = async () =>
      (
        (await (
          await fetch(`http://127.0.0.1:${hubs.standard}/api/meetings/${meeting}/recordings`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { recordings: Array<{ id: string; segments: number }> }
      ).recordings;
    // stopped once two whole 10 s segments are written (the recording went on through the switch)
    await expect.poll(async () => (await recordings())[0]?.segments ?? 0, { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    await panel.getByTestId('record').click();
    const recordedMs = Date.now() - startedAt;
    await expect(site.getByTestId('recording-notice')).toBeHidden();

    // the secretariat downloads it from the reports page
    const list = { recordings: await recordings() };
    expect(list.recordings).toHaveLength(1);
    const download = await fetch(
      `http://127.0.0.1:${hubs.standard}/api/meetings/${meeting}/recordings/${list.recordings[0]!.id}/download`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(download.status).toBe(200);
    fs.writeFileSync(path.join(dir, 'recording.mp4'), Buffer.from(await download.arrayBuffer()));
    const recording = await probe(path.join(dir, 'recording.mp4'));
    expect(recording.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // two whole segments at least, and never more than the time it was recorded for
    expect(recording.duration).toBeGreaterThan(20);
    expect(recording.duration).toBeLessThan(secondsOf(recordedMs) + 0.5);
    // both sites spoke (Chromium's microphone plays speech-like.wav, at -25 dBFS) the whole time: their voices are
    // in every second of the recording, in every segment, not only in the first (silence is -91 dB)
    const seconds = await soundLevelEachSecond(path.join(dir, 'recording.mp4'));
    expect(seconds.length).toBeGreaterThanOrEqual(20);
    const quiet = seconds.map((db, second) => ({ second, db })).filter(({ db }) => db < -45);
    expect(quiet, `levels each second: ${seconds.map((db) => db.toFixed(0)).join(' ')}`).toEqual([]);
    // its outputs stop with it (another test's listener on the same port is not pushed to)
    await apiCall(hubs.standard, 'chu-toa', 'POST', `/api/meetings/${meeting}/end`);
  } finally {
    received.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
