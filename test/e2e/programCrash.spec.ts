import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures.js';
import type { IngestCreatedDto } from '../../shared/meetings.js';
import type { MeetingRecordingDto, ProgramState } from '../../shared/program.js';
import { probe } from '../support/streamReceiver.js';
import { keepPushing } from '../support/testEncoder.js';
import { apiCall, createMeeting, login } from './helpers.js';
import { HubProcess } from './hubProcess.js';

const segmentSeconds = 10;

let hub: HubProcess | undefined;
test.afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

test('the hub is killed while a meeting is recorded: what was written stays (at most the last segment’s tail is lost), and the recording goes on after the restart', async () => {
  test.setTimeout(180_000);
  hub = await HubProcess.start({ FEED_MIN_PORT: '19460', FEED_MAX_PORT: '19469' });
  const { port } = hub;
  const meetingId = await createMeeting(port, ['SO-NV']);
  const feed = await apiCall<IngestCreatedDto>(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/ingests`, {
    name: 'Chính phủ',
    kind: 'rtmp',
  });
  // the encoder pushes again by itself after the hub's restart, as a hardware one does
  const encoder = keepPushing(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: 120 });
  const connected = async () =>
    (await apiCall<{ ingests: Array<{ connected: boolean }> }>(port, 'chu-toa', 'GET', `/api/meetings/${meetingId}/ingests`)).ingests[0]!
      .connected;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-crash-'));
  try {
    await expect.poll(connected).toBe(true);
    const recording = await apiCall<MeetingRecordingDto>(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/recordings`);
    const segmentsDir = path.join(hub.dataDir, 'meeting-recordings', meetingId, recording.id);
    const segments = () => (fs.existsSync(segmentsDir) ? fs.readdirSync(segmentsDir).sort() : []);
    // two whole segments, and the third being written when the hub dies
    await expect.poll(() => segments().length, { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    hub.signalGroup('SIGKILL');
    await hub.exited();
    // what the crash left on disk
    const written = segments().map((name) => ({ name, bytes: fs.statSync(path.join(segmentsDir, name)).size }));
    for (const { name } of written.slice(0, -1)) {
      // every segment but the last is whole: cut at a key frame (one every 2 s) once its 10 s were written
      const seconds = (await probe(path.join(segmentsDir, name))).duration;
      expect(seconds, name).toBeGreaterThan(segmentSeconds - 0.5);
      expect(seconds, name).toBeLessThan(segmentSeconds + 2.5);
    }

    await hub.restart();
    // the meeting is still live: its recording goes on, in the same recording, once the feed pushes again
    const program = await apiCall<ProgramState>(port, 'chu-toa', 'GET', `/api/meetings/${meetingId}/program`);
    expect(program.recording?.id).toBe(recording.id);
    await expect.poll(connected).toBe(true);
    // a whole segment written since the restart
    await expect.poll(() => segments().length, { timeout: 120_000 }).toBeGreaterThanOrEqual(written.length + 2);
    await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meetingId}/recordings/${recording.id}/stop`);

    // nothing written before the crash was written over
    for (const { name, bytes } of written) expect(fs.statSync(path.join(segmentsDir, name)).size, name).toBe(bytes);
    let recordedSeconds = 0;
    for (const name of segments()) recordedSeconds += (await probe(path.join(segmentsDir, name))).duration;

    const { token } = await login(port, 'thu-ky');
    const download = await fetch(`${hub.url}/api/meetings/${meetingId}/recordings/${recording.id}/download`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(200);
    const file = path.join(dir, 'recording.mp4');
    fs.writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    const media = await probe(file);
    expect(media.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // one MP4 of every segment, before the crash and after it
    expect(media.duration).toBeGreaterThan(recordedSeconds - 0.5);
    expect(media.duration).toBeLessThan(recordedSeconds + 0.5);
  } finally {
    encoder.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
