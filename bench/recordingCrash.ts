/**
 * What a crash costs a camera recording: N simulated counters recorded by a hub in its own process
 * group, SIGKILLed at a different point of a segment each run (as a power cut would), then for each
 * camera the time between the kill and the last packet written to its cut segment (its last write,
 * which is its indexed end at the next start). `--busy` keeps one core spinning meanwhile, as other
 * work on the server would.
 *   npm run bench:recording-crash [-- --cameras 4 --runs 5 --busy]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CameraSimulatorFarm } from '../camera-gateway/simulator/CameraSimulatorFarm.js';
import { startCpuHog } from '../scripts/cpu-hog.mjs';
import type { CameraDto } from '../shared/cameras.js';
import { RecordingHubProcess } from '../test/cameras/recordingHubProcess.js';
import { median } from './stats.js';
import { benchCamera } from './benchCameras.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const cameras = arg('cameras', 4);
const runs = arg('runs', 5);
/** As the recording hub writes them (test/cameras/recordingHub.ts). */
const segmentSeconds = 4;
const busy = process.argv.includes('--busy') ? startCpuHog(3_600_000) : undefined;

const farm = await CameraSimulatorFarm.start({ cameras, rtspBasePort: 19800, ptzCameras: [] });
const lost: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-crash-bench-'));
    const recordings = path.join(dir, 'recordings');
    const hub = await RecordingHubProcess.start(path.join(dir, 'hub.db'), recordings, randomBytes(32).toString('hex'));
    try {
      const admin = await hub.login('admin');
      const ids: number[] = [];
      for (let i = 0; i < farm.cameras.length; i++) {
        const added = await hub.call<CameraDto>('POST', '/api/cameras', admin, benchCamera(farm, i));
        await hub.call('PATCH', `/api/cameras/${added.id}`, admin, { recordMode: 'ALWAYS' });
        ids.push(added.id);
      }
      // into the second segment of every camera, a little further each run
      const files = (id: number) =>
        fs.existsSync(path.join(recordings, String(id))) ? fs.readdirSync(path.join(recordings, String(id))) : [];
      while (!ids.every((id) => files(id).length >= 2)) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, ((run * 1.7) % (segmentSeconds - 1)) * 1000 + 500));
      const killedAt = Date.now();
      await hub.kill();
      const tails = ids.map((id) => {
        const last = files(id).sort().at(-1)!;
        return killedAt - fs.statSync(path.join(recordings, String(id), last)).mtimeMs;
      });
      lost.push(...tails);
      console.log(`run ${run + 1}: tail lost per camera (ms) ${JSON.stringify(tails.map(Math.round))}`);
    } finally {
      await hub.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `SIGKILL → last packet on disk, ${cameras} cameras × ${runs} runs${busy ? ', one core kept busy' : ''}: median ${Math.round(median(lost))} ms, worst ${Math.round(Math.max(...lost))} ms`,
  );
} finally {
  busy?.stop();
  await farm.close();
}
process.exit(0);
