/**
 * Recording's cost: N simulated counters' cameras (the 800 kbit/s 720p main stream) recorded by the
 * gateway's pulls for a while, then
 *  - storage per camera-hour, from the bytes of the segments written;
 *  - CPU per recorded feed (the one ffmpeg per camera, RTP to the SFU and segments to disk), from
 *    /proc over the window, beside the same cameras pulled without recording.
 *   npm run bench:recording [-- --cameras 12 --seconds 120]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CameraSimulatorFarm } from '../camera-gateway/simulator/CameraSimulatorFarm.js';
import { MediaServer } from '../media-server/index.js';
import { openDatabase, seedSampleData } from '../prisma/index.js';
import { buildApp } from '../hub/index.js';
import { benchCamera } from './benchCameras.js';
import { cameraPulls, cpuTicksOf, ticksPerSecond } from './processCpu.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const cameras = arg('cameras', 12);
const seconds = arg('seconds', 120);

const ffmpegTicks = () => cpuTicksOf(cameraPulls);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-recording-bench-'));
const farm = await CameraSimulatorFarm.start({ cameras, rtspBasePort: 19700, ptzCameras: [] });
const database = await openDatabase({ provider: 'sqlite', url: path.join(dir, 'hub.db') });
await seedSampleData(database.prisma);
const media = await MediaServer.create({ numWorkers: 2, listenIp: '127.0.0.1', rtcMinPort: 47000, rtcMaxPort: 47999, peersPerRouter: 200 });
const recordings = path.join(dir, 'recordings');
const app = await buildApp({
  prisma: database.prisma,
  media,
  logLevel: 'warn',
  cameraKeyFile: path.join(dir, 'camera.key'),
  recording: { directory: recordings, segmentSeconds: 60 },
});
try {
  const ids: number[] = [];
  for (let i = 0; i < farm.cameras.length; i++) {
    const added = await app.cameras.add({ ...benchCamera(farm, i), pinned: false });
    ids.push(added.id);
  }
  const cpu = async (label: string) => {
    await new Promise((r) => setTimeout(r, 10_000)); // pulls settled
    const before = ffmpegTicks();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const percent = ((ffmpegTicks() - before) / ticksPerSecond / seconds) * 100;
    console.log(`${label}: ffmpeg ${percent.toFixed(1)}% of one core for ${cameras} feeds = ${(percent / cameras).toFixed(2)}% per feed`);
  };
  // the same main streams, first only into the SFU (watched), then recorded by the same pulls
  for (const id of ids) app.cameras.watch(id, 'main', 'bench');
  await cpu('main streams pulled, not recorded');
  const written = () =>
    ids.reduce((sum, id) => {
      const cameraDir = path.join(recordings, String(id));
      return (
        sum + (fs.existsSync(cameraDir) ? fs.readdirSync(cameraDir).reduce((n, f) => n + fs.statSync(path.join(cameraDir, f)).size, 0) : 0)
      );
    }, 0);
  for (const id of ids) await app.cameras.setRecordMode(id, 'ALWAYS');
  const startBytes = written();
  const started = Date.now();
  await cpu('main streams recorded (tee: RTP + MPEG-TS segments)');
  const hours = ((Date.now() - started) / 3_600_000) * cameras;
  console.log(
    `storage: ${((written() - startBytes) / 1024 ** 2 / hours).toFixed(0)} MiB per camera-hour (${((written() - startBytes) / 1024 ** 2).toFixed(1)} MiB for ${cameras} cameras in ${((Date.now() - started) / 1000).toFixed(0)} s; 800 kbit/s 720p H.264, MPEG-TS)`,
  );
} finally {
  await app.http.close();
  await farm.close();
  await media.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
