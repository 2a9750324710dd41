/**
 * Opening a warm wall: the 37 sample counters' cameras pinned (their streams stay warm, as `npm start`
 * registers them), a supervision station opened N times in a row as a new browser context, timed from
 * the page's navigation to every H.264 tile presenting frames (page load included). The test
 * (test/e2e/wallOpening.spec.ts) checks that they all play; how soon is measured here.
 *   npm run bench:wall-opening [-- --openings 20]
 */
import { median } from './stats.js';
import { startWallRig } from './wallRig.js';
import { addSessionCookie } from '../test/support/sessionCookie.js';

const openings = Number(process.argv[process.argv.indexOf('--openings') + 1]) || 20;
const cameras = 37;

const rig = await startWallRig({ cameras, h265Cameras: [cameras], rtspBasePort: 18800, rtcPorts: [46000, 46999], pinned: true });
try {
  // the stations the rig opened are other PCs: closed, so the openings time this page alone
  for (const station of rig.stations) await station.close();
  const playing = () =>
    [...document.querySelectorAll<HTMLVideoElement>('[data-testid="camera-video"]')].filter(
      (v) => v.getVideoPlaybackQuality().totalVideoFrames > 0,
    ).length;
  // a cold start is not what is measured: every camera online first
  while (rig.app.cameras.list().filter((c) => c.status === 'ONLINE').length < cameras - 1) await new Promise((r) => setTimeout(r, 500));
  const times: number[] = [];
  for (let n = 0; n < openings; n++) {
    const context = await rig.browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await addSessionCookie(context, rig.base, rig.token);
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(`${rig.base}/wall`);
    while ((await page.evaluate(playing)) < cameras - 1) {
      if (Date.now() - opened > 60_000) throw new Error(`opening ${n + 1}: only ${await page.evaluate(playing)} tiles play after 60 s`);
      await page.waitForTimeout(50);
    }
    times.push(Date.now() - opened);
    await context.close();
  }
  console.log(
    `warm wall opened ${openings} times → all ${cameras - 1} H.264 tiles playing: median ${median(times)} ms, max ${Math.max(...times)} ms, runs ${JSON.stringify(times)}`,
  );
} finally {
  await rig.close();
}
process.exit(0);
