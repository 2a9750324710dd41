import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleCameraProcess, type SampleCamera } from '../../camera-gateway/simulator/index.js';
import { freePort } from '../support/freePort.js';

const run = promisify(execFile);
const rtspBasePort = 19700;

/** The codec of camera n's main stream, as an RTSP client reads it from the camera. */
async function streamCodec(camera: SampleCamera, n: number): Promise<string> {
  const uri = new URL(`rtsp://127.0.0.1:${rtspBasePort + n}/cam1/main`);
  uri.username = camera.username;
  uri.password = camera.password;
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream=codec_name', '-of', 'csv=p=0', uri.href],
  ]);
  return stdout.trim();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the sample cameras in a process of their own', () => {
  let farm: SampleCameraProcess | undefined;
  afterAll(async () => farm?.close());

  it('serve from another process, come back by themselves when it dies, and go when the hub closes them', async () => {
    const onvifPort = await freePort();
    const started = await SampleCameraProcess.start({
      cameras: 3,
      rtspBasePort,
      onvifPort,
      h265Cameras: [3],
      communes: ['Xã Mỹ Hòa Hưng'],
    });
    farm = started.process;
    expect(farm.pid).not.toBe(process.pid);
    expect(started.cameras.map((c) => c.name)).toEqual(['TTPVHCC Quầy 1', 'TTPVHCC Quầy 2', 'TTPVHCC Quầy 3']);
    for (const camera of started.cameras) expect(camera.onvifAddress).toContain(`:${onvifPort}/`);
    expect(await streamCodec(started.cameras[0]!, 1)).toBe('h264');
    expect(await streamCodec(started.cameras[2]!, 3)).toBe('hevc');

    // killed as the OOM killer would: started again on the same ports, the same cameras
    const first = farm.pid;
    const restarted = new Promise<number>((resolve) => farm!.once('restarted', resolve));
    process.kill(first, 'SIGKILL');
    const second = await restarted;
    expect(second).not.toBe(first);
    expect(await streamCodec(started.cameras[1]!, 2)).toBe('h264');

    await farm.close();
    await expect.poll(() => alive(second)).toBe(false);
  });
});
