/**
 * The camera wall under the province's load: 37 simulated counters' cameras (36 H.264 + 1 H.265),
 * two supervision stations watching all of them, then:
 *  - CPU per remuxed feed (ffmpeg) and for the mediasoup workers,
 *    from /proc over a 30 s window once every tile plays;
 *  - time from opening a tile to the first decoded frame of its main stream (N tiles, one at a time,
 *    on one station: the other is closed first, as it is another PC in the province).
 *   npm run bench:wall [-- --runs 10]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { median } from './stats.js';
import { startWallRig } from './wallRig.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const cameras = 37;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

function cpuTicks(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // exited
    }
  }
  return total;
}

const pids = (pattern: string) =>
  execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((p) => p !== process.pid);

const rig = await startWallRig({ cameras, h265Cameras: [cameras], rtspBasePort: 18700, rtcPorts: [46000, 46999] });
const { app, stations } = rig;

try {
  const playingTiles = (page: Page) =>
    page.evaluate(
      () =>
        [...document.querySelectorAll('[data-testid="camera-video"]')].filter(
          (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames > 0,
        ).length,
    );
  const started = Date.now();
  for (const page of stations) {
    while ((await playingTiles(page)) < cameras - 1) {
      if (Date.now() - started > 120_000) {
        const stuck = await page.evaluate(() =>
          [...document.querySelectorAll('[data-testid="camera-tile"]')]
            .filter((t) => {
              const v = t.querySelector('video');
              return v && v.getVideoPlaybackQuality().totalVideoFrames === 0;
            })
            .map(
              (t) =>
                `${t.getAttribute('data-camera-id')}:${t.getAttribute('data-status')}:${(t.querySelector('video') as HTMLVideoElement).srcObject ? 'track' : 'none'}`,
            ),
        );
        throw new Error(`only ${await playingTiles(page)} tiles play; stuck ${stuck.join(' ')}`);
      }
      await page.waitForTimeout(500);
    }
  }
  console.log(`all ${cameras - 1} H.264 tiles play on both stations after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // the gateway's pulls (their -rtsp_transport follows -protocol_whitelist), not ffmpeg in other roles
  const groups = { ffmpeg: pids('ffmpeg .*-rtsp_transport tcp'), worker: pids('mediasoup-worker') };
  const before = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, cpuTicks(v)]));
  const windowS = 30;
  await new Promise((r) => setTimeout(r, windowS * 1000));
  const percent = (group: keyof typeof groups) => ((cpuTicks(groups[group]) - before[group]!) / ticksPerSecond / windowS) * 100;
  console.log(
    `CPU over ${windowS} s (% of one core): ffmpeg ${percent('ffmpeg').toFixed(1)}% for ${groups.ffmpeg.length} feeds = ${(percent('ffmpeg') / groups.ffmpeg.length).toFixed(2)}% per feed; mediasoup workers ${percent('worker').toFixed(1)}% (${groups.worker.length} workers, 36 feeds × 2 stations)`,
  );

  // each station is a PC of its own: on this 2-core machine the second one's 36 decoders would time
  // the first one's CPU, not the hub; the tile is opened with one station decoding its wall
  await stations[1]!.close();
  await new Promise((r) => setTimeout(r, 3000));
  const station = stations[0]!;
  const times: number[] = [];
  const tracks: number[] = [];
  const steps: number[][] = [];
  for (let i = 0; i < runs; i++) {
    const cameraId = app.cameras.list()[i]!.id;
    const { track, frame, marks } = await station.evaluate(async (id) => {
      const start = performance.now();
      let trackAt: number | undefined;
      (document.querySelector(`[data-testid="camera-tile"][data-camera-id="${id}"]`) as HTMLElement).click();
      for (;;) {
        const video = document.querySelector<HTMLVideoElement>('[data-testid="camera-main-video"]');
        if (video?.srcObject && trackAt === undefined) trackAt = performance.now() - start;
        if (video && video.getVideoPlaybackQuality().totalVideoFrames > 0)
          return {
            track: trackAt ?? 0,
            frame: performance.now() - start,
            marks: ['wall:offered', 'wall:consumed'].map((name) =>
              Math.round((performance.getEntriesByName(`${name} ${id}/main`).at(-1)?.startTime ?? start) - start),
            ),
          };
        await new Promise((r) => setTimeout(r, 5));
      }
    }, cameraId);
    times.push(Math.round(frame));
    tracks.push(Math.round(track));
    steps.push(marks);
    await station.getByRole('button', { name: 'Đóng' }).click();
  }
  console.log(`open tile → first decoded main-stream frame: median ${median(times)} ms, runs ${JSON.stringify(times)}`);
  console.log(
    `open tile → its track on the page (signalling and consumer set-up): median ${median(tracks)} ms, runs ${JSON.stringify(tracks)}`,
  );
  console.log(`  of which [server's offer, consumer made on the page] (ms after the click): ${JSON.stringify(steps)}`);
} finally {
  await rig.close();
}
process.exit(0);
