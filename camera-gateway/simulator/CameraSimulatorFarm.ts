import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { readElementaryStream, type ElementaryStream } from './ElementaryStream.js';
import { OnvifSimulator, type SimulatedCamera, type SimulatedEvent } from './OnvifSimulator.js';
import { RtspCameraServer } from './RtspCameraServer.js';
import { clipCache, clipEncoding, clipSeconds } from './clipEncoding.js';
import { cameraScenes, ensureScenes, type CameraScene } from './CameraScenes.js';

const run = promisify(execFile);

export interface Clips {
  main: string;
  sub: string;
  h265: string;
  snapshot: string;
}

/**
 * Pre-encoded clips (Annex-B elementary streams, what a camera's encoder emits), made once with
 * ffmpeg and cached: 1280×720 High and 640×360 Main H.264 with a key frame every second (a
 * camera's usual GOP), an H.265 clip, and a JPEG for snapshots.
 */
export async function ensureClips(dir = clipCache('camera-clips-v2')): Promise<Clips> {
  const clips = {
    main: path.join(dir, 'main.h264'),
    sub: path.join(dir, 'sub.h264'),
    h265: path.join(dir, 'h265.hevc'),
    snapshot: path.join(dir, 'snapshot.jpg'),
  };
  if (Object.values(clips).every((f) => fs.existsSync(f))) return clips;
  fs.mkdirSync(dir, { recursive: true });
  const source = (size: string) => ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-t', String(clipSeconds)];
  const temp = (file: string) => `${file}.part`;
  for (const profile of ['main', 'sub'] as const) {
    const { size, args } = clipEncoding[profile];
    await run('ffmpeg', [...source(size), ...args, '-f', 'h264', temp(clips[profile])]);
  }
  await run('ffmpeg', [
    ...source('640x360'),
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    '-b:v',
    '250k',
    '-g',
    '25',
    '-f',
    'hevc',
    temp(clips.h265),
  ]);
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720',
    '-frames:v',
    '1',
    '-f',
    'image2',
    temp(clips.snapshot),
  ]);
  for (const file of Object.values(clips)) fs.renameSync(temp(file), file);
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
 * Simulated counters' cameras: an RTSP server per camera on its own port (so one camera can be
 * unplugged, or made to freeze) and one ONVIF simulator answering for all of them.
 */
export class CameraSimulatorFarm {
  readonly cameras: SimulatedCamera[];
  readonly onvif: OnvifSimulator;
  readonly #servers: Map<number, RtspCameraServer>;
  #scenes?: Promise<Record<string, Record<string, ElementaryStream>>>;

  private constructor(cameras: SimulatedCamera[], onvif: OnvifSimulator, servers: Map<number, RtspCameraServer>) {
    this.cameras = cameras;
    this.onvif = onvif;
    this.#servers = servers;
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
    const streams = {
      main: readElementaryStream(clips.main, 'H264'),
      sub: readElementaryStream(clips.sub, 'H264'),
      h265: readElementaryStream(clips.h265, 'H265'),
    };
    const served = (n: number): Record<string, ElementaryStream> =>
      h265.has(n) ? { '/cam1/main': streams.h265, '/cam1/sub': streams.h265 } : { '/cam1/main': streams.main, '/cam1/sub': streams.sub };
    const servers = new Map(
      cameras.map((camera, i) => [
        i + 1,
        new RtspCameraServer({
          port: options.rtspBasePort + i + 1,
          streams: served(i + 1),
          // read at each connection: a password changed on the camera applies from the next session
          credentials: () => ({ username: camera.username, password: camera.password }),
        }),
      ]),
    );
    const farm = new CameraSimulatorFarm(cameras, onvif, servers);
    try {
      await Promise.all(cameras.map((_, i) => farm.startCamera(i + 1)));
    } catch (error) {
      await farm.close();
      throw error;
    }
    return farm;
  }

  /** Camera n's stream URI with its credentials in it, as ffmpeg (or any RTSP client) pulls it. */
  pullUri(n: number, profile: 'main' | 'sub'): string {
    const camera = this.cameras[n - 1];
    if (!camera) throw new Error(`no simulated camera ${n}`);
    const url = new URL(camera.streams[profile]);
    url.username = encodeURIComponent(camera.username);
    url.password = encodeURIComponent(camera.password);
    return url.href;
  }

  xaddr(n: number): string {
    return this.onvif.xaddr(`cam${n}`);
  }

  /** What an admin enters to register camera n: its ONVIF address and its credentials. */
  registration(n: number): { onvifAddress: string; username: string; password: string } {
    const camera = this.cameras[n - 1];
    if (!camera) throw new Error(`no simulated camera ${n}`);
    return { onvifAddress: this.xaddr(n), username: camera.username, password: camera.password };
  }

  /** Plugs camera n in: resolves once its RTSP port accepts connections (the same port each time). */
  async startCamera(n: number): Promise<void> {
    await this.#server(n).start();
  }

  /** Unplugs camera n: its RTSP port closes and open sessions are cut. */
  async stopCamera(n: number): Promise<void> {
    await this.#server(n).stop();
  }

  /** A technician sets a new password on camera n (ONVIF and RTSP): the registry's no longer opens it. */
  changePassword(n: number, password: string): void {
    const camera = this.cameras[n - 1];
    if (!camera) throw new Error(`no simulated camera ${n}`);
    camera.password = password;
  }

  /**
   * Camera n shows `scene` on both its streams from their next key frame (within a second); resolves
   * when it is told. The scenes' clips are made on first use.
   */
  async showScene(n: number, scene: CameraScene): Promise<void> {
    const server = this.#server(n);
    this.#scenes ??= ensureScenes().then((clips) =>
      Object.fromEntries(
        cameraScenes.map((name) => [
          name,
          { '/cam1/main': readElementaryStream(clips[name].main, 'H264'), '/cam1/sub': readElementaryStream(clips[name].sub, 'H264') },
        ]),
      ),
    );
    server.show((await this.#scenes)[scene]!);
  }

  /** Camera n reports an ONVIF event beginning (active) or ending to its PullPoint subscribers. */
  raiseEvent(n: number, event: SimulatedEvent, active: boolean): void {
    this.#server(n);
    this.onvif.raise(`cam${n}`, event, active);
  }

  /** Camera n's timestamps freeze (a firmware fault: packets keep coming, the picture stops), or thaw. */
  freezeCamera(n: number, frozen: boolean): void {
    this.#server(n).setFrozen(frozen);
  }

  /** Camera n answers every RTSP request `ms` late (a slow or busy camera), or at once again with 0. */
  delayCameraAnswers(n: number, ms: number): void {
    this.#server(n).setAnswerDelay(ms);
  }

  /** How many RTSP sessions camera n has played (each pull of a stream is one), of one profile or of both. */
  sessionsPlayed(n: number, profile?: 'main' | 'sub'): number {
    return this.#server(n).sessionsPlayed(profile && `/cam1/${profile}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#servers.values()].map((server) => server.stop()));
    await this.onvif.stop();
  }

  #server(n: number): RtspCameraServer {
    const server = this.#servers.get(n);
    if (!server) throw new Error(`no simulated camera ${n}`);
    return server;
  }
}

/** The province's 37 one-stop counters: 12 at the provincial centre, one at each of 25 communes. */
export function sampleCounterNames(
  communes: string[],
): (n: number) => { name: string; location: string; unitName: string; counter: string } {
  return (n) => {
    if (n <= 12) {
      return {
        name: `TTPVHCC Quầy ${n}`,
        location: 'Trung tâm Phục vụ hành chính công tỉnh',
        unitName: 'Trung tâm Phục vụ hành chính công tỉnh',
        counter: `Quầy ${n}`,
      };
    }
    const commune = communes[n - 13] ?? `Xã ${n - 12}`;
    return { name: `Một cửa ${commune}`, location: commune, unitName: commune, counter: 'Bộ phận một cửa' };
  };
}
