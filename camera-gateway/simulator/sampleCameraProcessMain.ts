/**
 * The sample counters' cameras (SAMPLE_CAMERAS) in a process of their own, started by the hub
 * (SampleCameraProcess): 37 RTSP servers sending 25 pictures/s and an ONVIF simulator would otherwise
 * share the hub's event loop with its meetings. Reads its request from stdin, answers on stdout once
 * every camera serves, and ends when the hub closes its stdin or sends SIGTERM.
 */
import readline from 'node:readline';
import { CameraSimulatorFarm, sampleCounterNames } from './CameraSimulatorFarm.js';
import { sampleFarmRequestSchema, type SampleFarmReady } from './sampleCameraMessages.js';

const lines = readline.createInterface({ input: process.stdin });
const line = await new Promise<string | undefined>((resolve) => {
  lines.once('line', resolve);
  lines.once('close', () => resolve(undefined));
});
if (line === undefined) process.exit(0);
const request = sampleFarmRequestSchema.parse(JSON.parse(line));
const names = sampleCounterNames(request.communes);
const farm = await CameraSimulatorFarm.start({
  cameras: request.cameras,
  rtspBasePort: request.rtspBasePort,
  onvifPort: request.onvifPort,
  names,
  h265Cameras: request.h265Cameras,
});
const ready: SampleFarmReady = {
  cameras: farm.cameras.map((_, i) => {
    const { name, unitName, counter } = names(i + 1);
    return { name, unitName, counter, ...farm.registration(i + 1) };
  }),
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  farm.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
lines.on('close', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
