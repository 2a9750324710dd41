/**
 * A counter's camera unplugged and plugged in again, 20 times (down 4, 7, 10 or 13 s in turn, so the
 * gateway's retry path is exercised at several points of its schedule), with two supervision stations
 * watching 4 cameras. For each unplug: the time until the camera is reported OFFLINE (docs/camera-wall.md's
 * promise: within 10 s); for each replug: the time until it is reported ONLINE, and until its tile
 * plays again (new frames presented) on both stations.
 *   npm run bench:replug [-- --runs 20]
 */
import { median } from './stats.js';
import { startWallRig, untilTilePlays } from './wallRig.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 20;
const rig = await startWallRig({ cameras: 4, h265Cameras: [], rtspBasePort: 18750, rtcPorts: [46000, 46999] });
const { app, farm, stations } = rig;

/** Resolves when the gateway reports the camera in the status (as every station is told). */
const nextStatus = (cameraId: number, status: string) =>
  new Promise<void>((resolve) => {
    const listener = (camera: { id: number; status: string }) => {
      if (camera.id !== cameraId || camera.status !== status) return;
      app.cameras.off('status', listener);
      resolve();
    };
    app.cameras.on('status', listener);
  });

try {
  const cameraId = app.cameras.list()[1]!.id;
  await Promise.all(stations.map((page) => untilTilePlays(page, cameraId)));
  const offline: number[] = [];
  const online: number[] = [];
  const playing: number[] = [];
  for (let i = 0; i < runs; i++) {
    const unpluggedAt = Date.now();
    const down = nextStatus(cameraId, 'OFFLINE').then(() => Date.now() - unpluggedAt);
    await farm.stopCamera(2);
    offline.push(await down);
    await new Promise((r) => setTimeout(r, (4 + 3 * (i % 4)) * 1000));
    let pluggedAt = 0;
    const since = () => Date.now() - pluggedAt;
    const back = nextStatus(cameraId, 'ONLINE').then(since);
    const plays = Promise.all(stations.map((page) => untilTilePlays(page, cameraId).then(since)));
    pluggedAt = Date.now();
    await farm.startCamera(2);
    online.push(await back);
    playing.push(Math.max(...(await plays)));
    console.log(
      `unplug ${i + 1}: offline after ${offline.at(-1)} ms; replug: online after ${online.at(-1)} ms, playing on both stations after ${playing.at(-1)} ms`,
    );
  }
  console.log(`unplug → OFFLINE: median ${median(offline)} ms, worst ${Math.max(...offline)} ms`);
  console.log(`replug → ONLINE: median ${median(online)} ms, worst ${Math.max(...online)} ms`);
  console.log(`replug → playing on both stations: median ${median(playing)} ms, worst ${Math.max(...playing)} ms (${runs} replugs)`);
} finally {
  await rig.close();
}
process.exit(0);
