import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OnvifSimulator, type SimulatedCamera } from './OnvifSimulator.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
/** The RTSP server script, next to this file in the sources (dist/ has no .py). */
const rtspServerScript = path.resolve(here.replace(`${path.sep}dist${path.sep}`, path.sep), 'rtsp_server.py');

export interface Clips {
  main: string;
  sub: string;
  h265: string;
  snapshot: string;
}

/**
 * Pre-encoded clips, made once with ffmpeg and cached: 1280×720 High and 640×360 Main H.264 with
 * a key frame every second (a camera's usual GOP), an H.265 clip, and a JPEG for snapshots.
 */
export async function ensureClips(dir = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'province-hub', 'camera-clips-v1')): Promise<Clips> {
  const clips = { main: path.join(dir, 'main.mkv'), sub: path.join(dir, 'sub.mkv'), h265: path.join(dir, 'h265.mkv'), snapshot: path.join(dir, 'snapshot.jpg') };
  if (Object.values(clips).every((f) => fs.existsSync(f))) return clips;
  fs.mkdirSync(dir, { recursive: true });
  const gop = ['-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p'];
  const source = (size: string) => ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-t', '10'];
  const temp = (file: string) => `${file}.part.mkv`;
  await run('ffmpeg', [...source('1280x720'), '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-level', '3.1', '-b:v', '800k', ...gop, temp(clips.main)]);
  await run('ffmpeg', [...source('640x360'), '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-level', '3.0', '-b:v', '250k', ...gop, temp(clips.sub)]);
  await run('ffmpeg', [...source('640x360'), '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-b:v', '250k', '-g', '25', temp(clips.h265)]);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', `${clips.snapshot}.part.jpg`]);
  for (const file of [clips.main, clips.sub, clips.h265]) fs.renameSync(temp(file), file);
  fs.renameSync(`${clips.snapshot}.part.jpg`, clips.snapshot);
  return clips;
}

export interface FarmOptions {
  cameras: number;
  /** Camera n serves RTSP on rtspBasePort + n. */
  rtspBasePort: number;
  /** ONVIF HTTP port (0: any free port). */
  onvifPort?: number;
  /** Cameras (1-based) that send H.265. */
  h265Cameras?: number[];
  /** Cameras (1-based) with PTZ; all by default. */
  ptzCameras?: number[];
  /** Answer WS-Discovery probes (only inside a network namespace in tests). */
  discovery?: boolean;
  names?: (n: number) => { name: string; location: string };
  username?: string;
  password?: string;
}

/**
 * Simulated counters' cameras: one GStreamer RTSP server process per camera (so one camera can be
 * unplugged) and one ONVIF simulator answering for all of them.
 */
export class CameraSimulatorFarm {
  readonly cameras: SimulatedCamera[];
  readonly onvif: OnvifSimulator;
  readonly #options: FarmOptions;
  readonly #clips: Clips;
  readonly #servers = new Map<number, ChildProcess>();

  private constructor(options: FarmOptions, clips: Clips, cameras: SimulatedCamera[], onvif: OnvifSimulator) {
    this.#options = options;
    this.#clips = clips;
    this.cameras = cameras;
    this.onvif = onvif;
  }

  static async start(options: FarmOptions): Promise<CameraSimulatorFarm> {
    const clips = await ensureClips();
    const h265 = new Set(options.h265Cameras ?? []);
    const cameras = Array.from({ length: options.cameras }, (_, i): SimulatedCamera => {
      const n = i + 1;
      const rtsp = `rtsp://127.0.0.1:${options.rtspBasePort + n}/cam1`;
      const { name, location } = options.names?.(n) ?? { name: `Camera ${n}`, location: `Counter ${n}` };
      return {
        id: `cam${n}`,
        name,
        location,
        username: options.username ?? 'onvif',
        password: options.password ?? `cam-${n}-secret`,
        streams: { main: `${rtsp}/main`, sub: `${rtsp}/sub` },
        encoding: h265.has(n) ? 'H265' : 'H264',
        ptz: options.ptzCameras ? options.ptzCameras.includes(n) : true,
        presets: [
          { token: 'p1', name: 'Quầy giao dịch' },
          { token: 'p2', name: 'Khu chờ' },
        ],
      };
    });
    const onvif = new OnvifSimulator(cameras, { snapshot: fs.readFileSync(clips.snapshot) });
    await onvif.start(options.onvifPort ?? 0, { discovery: options.discovery });
    const farm = new CameraSimulatorFarm(options, clips, cameras, onvif);
    await Promise.all(cameras.map((_, i) => farm.startCamera(i + 1)));
    return farm;
  }

  xaddr(n: number): string {
    return this.onvif.xaddr(`cam${n}`);
  }

  /** Starts camera n's RTSP server and resolves once it listens. */
  async startCamera(n: number): Promise<void> {
    if (this.#servers.has(n)) return;
    const args = [rtspServerScript, '--port', String(this.#options.rtspBasePort + n), '--cameras', '1', '--main', this.#clips.main, '--sub', this.#clips.sub];
    if (this.#options.h265Cameras?.includes(n)) args.push('--h265', this.#clips.h265, '--h265-cameras', '1');
    // Debian's python has the GStreamer bindings (gi); a pyenv python on PATH would not.
    const server = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.#servers.set(n, server);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`camera ${n}'s RTSP server exited (${code})`)));
    });
  }

  /** Unplugs camera n: its RTSP server stops. */
  async stopCamera(n: number): Promise<void> {
    const server = this.#servers.get(n);
    if (!server) return;
    this.#servers.delete(n);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#servers.keys()].map((n) => this.stopCamera(n)));
    await this.onvif.stop();
  }
}

/** The province's 37 one-stop counters: 12 at the provincial centre, one at each of 25 communes. */
export function sampleCounterNames(communes: string[]): (n: number) => { name: string; location: string; unitName: string; counter: string } {
  return (n) => {
    if (n <= 12) {
      return { name: `TTPVHCC Quầy ${n}`, location: 'Trung tâm Phục vụ hành chính công tỉnh', unitName: 'Trung tâm Phục vụ hành chính công tỉnh', counter: `Quầy ${n}` };
    }
    const commune = communes[n - 13] ?? `Xã ${n - 12}`;
    return { name: `Một cửa ${commune}`, location: commune, unitName: commune, counter: 'Bộ phận một cửa' };
  };
}
