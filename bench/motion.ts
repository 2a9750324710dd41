/**
 * The counter cameras' analysis (issue 36):
 *  - CPU: N simulated cameras' wall streams (640×360 H.264, 25 fps, a key frame a second) pulled into
 *    the SFU, first without analysis, then with it (the same pulls also decode their key frames and send
 *    128×72 grey pictures to the hub): the ffmpeg processes' CPU from /proc, and the hub's own work per
 *    picture (grid, tamper, metadata) timed in this process;
 *  - disk: the motion metadata written per camera-hour by those cameras (the test card moves everywhere:
 *    the worst case), and per camera-day of a busy counter;
 *  - search: one camera's month of office days (motion at the desk most seconds, 8 hours a day) searched
 *    for the desk and for a wall where nothing moves.
 *   npm run bench:motion [-- --cameras 37 --seconds 60]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CameraSimulatorFarm, staffZone, waitingZone } from '../camera-gateway/simulator/index.js';
import { MotionStore } from '../camera-gateway/motion/MotionStore.js';
import { encodeSample } from '../camera-gateway/motion/MotionFile.js';
import { cellCount, frameBytes, type MotionQuery } from '../camera-gateway/motion/MotionTypes.js';
import { motionLevels, signatureOf } from '../camera-gateway/motion/pictures.js';
import { regionCells } from '../camera-gateway/motion/motionSearch.js';
import { TamperWatch } from '../camera-gateway/motion/TamperWatch.js';
import { defaultMotionOptions } from '../camera-gateway/index.js';
import { MediaServer } from '../media-server/index.js';
import { openDatabase, seedSampleData } from '../prisma/index.js';
import { buildApp } from '../hub/index.js';
import { benchCamera } from './benchCameras.js';
import { cameraPulls, cpuTicksOf, ticksPerSecond } from './processCpu.js';
import { median } from './stats.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const cameras = arg('cameras', 37);
const seconds = arg('seconds', 60);
const quietLog = { warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ffmpegTicks = () => cpuTicksOf(cameraPulls);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-motion-bench-'));
try {
  // --- CPU: the same wall streams without and with analysis ---
  const farm = await CameraSimulatorFarm.start({ cameras, rtspBasePort: 19700, ptzCameras: [] });
  const percentOf = async (analysis: boolean) => {
    const database = await openDatabase({ provider: 'sqlite', url: path.join(dir, `hub-${analysis}.db`) });
    await seedSampleData(database.prisma);
    const media = await MediaServer.create({
      numWorkers: 1,
      listenIp: '127.0.0.1',
      rtcMinPort: 47000,
      rtcMaxPort: 47999,
      peersPerRouter: 200,
    });
    const recordings = path.join(dir, `recordings-${analysis}`);
    const app = await buildApp({
      prisma: database.prisma,
      media,
      logLevel: 'warn',
      cameraKeyFile: path.join(dir, 'camera.key'),
      recording: { directory: recordings, segmentSeconds: 60 },
      cameraMotion: { enabled: analysis },
    });
    try {
      const ids: number[] = [];
      for (let i = 0; i < cameras; i++) ids.push((await app.cameras.add({ ...benchCamera(farm, i), pinned: true })).id);
      await sleep(15_000); // pulls settled
      const analysedSoFar = async () => (await Promise.all(ids.map((id) => app.cameras.picturesAnalysed(id)))).reduce((x, y) => x + y, 0);
      const picturesBefore = await analysedSoFar();
      const motionWritten = async () => {
        await app.cameras.recorder!.motion.flush();
        return ids
          .map((id) => path.join(recordings, String(id), 'motion'))
          .filter((d) => fs.existsSync(d))
          .flatMap((d) => fs.readdirSync(d).map((f) => fs.statSync(path.join(d, f)).size))
          .reduce((x, y) => x + y, 0);
      };
      const motionBefore = await motionWritten();
      const before = ffmpegTicks();
      const started = Date.now();
      await sleep(seconds * 1000);
      const elapsed = (Date.now() - started) / 1000;
      const percent = ((ffmpegTicks() - before) / ticksPerSecond / elapsed) * 100;
      const pictures = (await analysedSoFar()) - picturesBefore;
      const motionBytes = (await motionWritten()) - motionBefore;
      return { percent, pictures, motionBytes, elapsed };
    } finally {
      await app.http.close();
      await media.close();
      await database.close();
    }
  };
  const plain = await percentOf(false);
  const analysed = await percentOf(true);
  await farm.close();

  // the hub's work per picture: grid against the previous picture, tamper judgement, the record
  const a = Uint8Array.from({ length: frameBytes }, (_, i) => (i * 7) % 251);
  const b = Uint8Array.from({ length: frameBytes }, (_, i) => (i * 13) % 241);
  const watch = new TamperWatch(defaultMotionOptions.tamper);
  const rounds = 20_000;
  const began = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const [previous, current] = i % 2 ? [a, b] : [b, a];
    encodeSample({ at: i * 1000, spanMs: 1000, levels: motionLevels(previous, current) }, 3);
    watch.observe(signatureOf(current), i * 1000);
  }
  const perPictureUs = Number(process.hrtime.bigint() - began) / 1000 / rounds;
  const picturesPerSecond = analysed.pictures / analysed.elapsed;
  const hubPercent = (perPictureUs * picturesPerSecond) / 10_000;
  const extra = analysed.percent - plain.percent;
  console.log(`${cameras} wall streams pulled into the SFU: ffmpeg ${plain.percent.toFixed(1)}% of one core without analysis`);
  console.log(
    `with analysis: ffmpeg ${analysed.percent.toFixed(1)}% (+${extra.toFixed(1)}%), ${picturesPerSecond.toFixed(1)} pictures/s analysed; the hub ${perPictureUs.toFixed(0)} µs a picture = ${hubPercent.toFixed(2)}% of one core`,
  );
  console.log(
    `analysis cost: ${(extra + hubPercent).toFixed(1)}% of one core for ${cameras} cameras = ${((extra + hubPercent) / cameras).toFixed(2)}% per camera (budget: 25% for 37)`,
  );
  const cameraHours = (analysed.elapsed / 3600) * cameras;
  console.log(
    `motion metadata, test card (moves everywhere, the worst case): ${(analysed.motionBytes / cameraHours / 1024 ** 2).toFixed(2)} MiB per camera-hour`,
  );

  // --- a month of a busy counter, searched ---
  const store = new MotionStore({ directory: path.join(dir, 'month'), noiseFloor: 3, flushIntervalMs: 3_600_000, log: quietLog });
  const desk = new Set(regionCells(staffZone));
  const waiting = new Set(regionCells(waitingZone));
  const monthStart = Date.UTC(2026, 10, 1);
  let random = 1;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const day = 86_400_000;
  for (let d = 0; d < 30; d++) {
    // 07:00–11:30 and 13:00–17:00 (UTC+7), one picture a second: someone at the desk 9 seconds in 10, people waiting 1 in 3
    for (const [from, to] of [
      [0, 4.5],
      [6, 10],
    ] as const) {
      for (let at = monthStart + d * day + from * 3_600_000; at < monthStart + d * day + to * 3_600_000; at += 1000) {
        const levels = new Uint8Array(cellCount);
        if (next() < 0.9) for (const cell of desk) if (next() < 0.4) levels[cell] = 5 + Math.floor(next() * 60);
        if (next() < 0.33) for (const cell of waiting) if (next() < 0.3) levels[cell] = 5 + Math.floor(next() * 60);
        store.append(1, { at, spanMs: 1000, levels });
      }
      await store.flush();
    }
  }
  const monthBytes = fs
    .readdirSync(store.directoryOf(1))
    .map((f) => fs.statSync(path.join(store.directoryOf(1), f)).size)
    .reduce((x, y) => x + y, 0);
  console.log(`motion metadata of a busy counter: ${(monthBytes / 30 / 1024 ** 2).toFixed(1)} MiB per camera-day (8.5 office hours)`);
  const month = { from: new Date(monthStart), to: new Date(monthStart + 30 * day) };
  const timed = async (label: string, query: MotionQuery) => {
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 5; i++) {
      const began = performance.now();
      found = (await store.search(1, query)).intervals.length;
      times.push(performance.now() - began);
    }
    console.log(`search a month (${label}): median ${median(times).toFixed(0)} ms of 5, ${found} intervals`);
  };
  await timed('the desk', { ...month, region: staffZone, sensitivity: 6, minArea: 5 });
  await timed('a wall where nothing moves', { ...month, region: { x: 0, y: 0, width: 0.45, height: 0.25 }, sensitivity: 6, minArea: 5 });
  await store.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
