import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { clipCache, clipEncoding, clipSeconds } from './clipEncoding.js';

const run = promisify(execFile);

/**
 * What a simulated counter's camera can be made to show, for the motion, tamper and attendance tests:
 * - `staff`: the counter with someone moving at the desk (inside `staffZone`), nothing else moving;
 * - `emptyDesk`: the same counter, nobody there: nothing moves;
 * - `elsewhere`: the desk empty, someone moving in the waiting area (inside `waitingZone`) only;
 * - `covered`: a flat dark picture (a hand, tape, a cap over the lens);
 * - `turned`: another view that stays (the camera was pushed to face a wall).
 */
export const cameraScenes = ['staff', 'emptyDesk', 'elsewhere', 'covered', 'turned'] as const;
export type CameraScene = (typeof cameraScenes)[number];

/** Where the moving shapes stay, as fractions of the picture: the desk, and the waiting area. */
export const staffZone = { x: 0.05, y: 0.3, width: 0.4, height: 0.6 } as const;
export const waitingZone = { x: 0.55, y: 0.3, width: 0.4, height: 0.6 } as const;

/** The counter seen from the camera: a grid on the wall, a desk, a notice board, a cabinet (detail to lose when covered). */
const counter =
  'drawgrid=w=iw/16:h=ih/9:t=1:c=0x9fb3c2,' +
  'drawbox=x=0.06*iw:y=0.62*ih:w=0.38*iw:h=0.22*ih:c=0x8b5a2b:t=fill,' +
  'drawbox=x=0.55*iw:y=0.1*ih:w=0.3*iw:h=0.2*ih:c=0xd8d0b8:t=fill,' +
  'drawbox=x=0.7*iw:y=0.05*ih:w=0.12*iw:h=0.2*ih:c=0x2a3440:t=fill';

/** A person-sized shape wandering inside `zone` (never on a one-second rhythm, so each key frame differs). */
function wandering(zone: { x: number; y: number; width: number; height: number }): string {
  const w = 0.1;
  const h = 0.2;
  const x = `${zone.x}*main_w+${zone.width - w}*main_w*(0.5+0.5*sin(2*PI*t/3.7))`;
  const y = `${zone.y}*main_h+${zone.height - h}*main_h*(0.5+0.5*sin(2*PI*t/2.3))`;
  return `[bg][person]overlay=x='${x}':y='${y}':eval=frame:shortest=1`;
}

function graph(scene: CameraScene, size: string): string {
  const [width, height] = size.split('x').map(Number) as [number, number];
  const background = (color: string, view: string) => `color=c=${color}:size=${size}:rate=25,${view}`;
  const person = `color=c=0xf0e6d2:size=${Math.round(width / 10)}x${Math.round(height / 5)}:rate=25[person]`;
  switch (scene) {
    case 'staff':
      return `${background('0x4f6272', counter)}[bg];${person};${wandering(staffZone)}`;
    case 'elsewhere':
      return `${background('0x4f6272', counter)}[bg];${person};${wandering(waitingZone)}`;
    case 'emptyDesk':
      return background('0x4f6272', counter);
    case 'covered':
      return `color=c=0x1c1c1c:size=${size}:rate=25`;
    case 'turned':
      // a bare wall and a window: little of the counter's layout is left
      return background(
        '0x8a8f7a',
        'drawbox=x=0.1*iw:y=0.15*ih:w=0.5*iw:h=0.55*ih:c=0xe8eef2:t=fill,drawbox=x=0.1*iw:y=0.15*ih:w=0.5*iw:h=0.55*ih:c=0x3b3b3b:t=6',
      );
  }
}

export type SceneClips = Record<CameraScene, { main: string; sub: string }>;

/** The scenes' clips in both streams' encodings, made once with ffmpeg and cached like the test card. */
export async function ensureScenes(dir = clipCache('camera-scenes-v1')): Promise<SceneClips> {
  const clips = Object.fromEntries(
    cameraScenes.map((scene) => [scene, { main: path.join(dir, `${scene}-main.h264`), sub: path.join(dir, `${scene}-sub.h264`) }]),
  ) as SceneClips;
  const files = Object.values(clips).flatMap((c) => [c.main, c.sub]);
  if (files.every((f) => fs.existsSync(f))) return clips;
  fs.mkdirSync(dir, { recursive: true });
  for (const scene of cameraScenes) {
    for (const profile of ['main', 'sub'] as const) {
      const { size, args } = clipEncoding[profile];
      const target = clips[scene][profile];
      await run('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        graph(scene, size),
        '-t',
        String(clipSeconds),
        ...args,
        '-f',
        'h264',
        `${target}.part`,
      ]);
      fs.renameSync(`${target}.part`, target);
    }
  }
  return clips;
}
