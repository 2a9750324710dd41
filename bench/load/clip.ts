import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOggOpus } from '../../test/support/oggOpus.js';

/** A bridge point's camera as its browser would send it: three VP8 simulcast layers and Opus. */
export interface SiteClip {
  /** Encoded VP8 frames of layer 0 (320×180), 1 (640×360) and 2 (1280×720), all at `fps`. */
  layers: Array<Array<{ data: Buffer; key: boolean }>>;
  fps: number;
  /** Frame indexes where every layer has a key frame (GOP starts): a PLI jumps to the next one. */
  gopStarts: number[];
  /** 20 ms Opus packets. */
  opus: Buffer[];
}

/**
 * The temporal layer of each frame, by frame index modulo 4: three layers as Chromium sends VP8 simulcast
 * (L1T3; libvpx's layering mode 3). A viewer at temporal layer 0 gets every fourth frame.
 */
export const temporalPattern = [0, 2, 1, 2] as const;
/** Whether frame `i` of the pattern refers only to temporal layer 0 (VP8's layer-sync bit, Y). */
export const layerSync = (frame: number) => frame % temporalPattern.length !== 3;

/** What the client asks Chromium for (`cameraEncodings` in client/src/meeting/MeetingClient.ts). */
const layerSpecs = [
  { width: 320, height: 180, kbps: 150 },
  { width: 640, height: 360, kbps: 500 },
  { width: 1280, height: 720, kbps: 1500 },
];
const fps = 25;
/** A multiple of the temporal pattern's length: every key frame is on temporal layer 0. */
const gopFrames = 100;
/** The first GOP is dropped: libvpx's very first key frame, before its rate control has settled, is ten times the size of the later ones. */
const seconds = 20;

/**
 * Encodes the clip once with ffmpeg (libvpx realtime, as libwebrtc does; a busy 720p test pattern
 * under moving noise so the encoder spends its bitrate) and caches it outside the checkout.
 */
export function loadSiteClip(): SiteClip {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(cacheHome, 'province-hub', 'bench', 'load-clip-v3');
  const files = [...layerSpecs.map((_, i) => path.join(dir, `layer${i}.ivf`)), path.join(dir, 'voice.ogg')];
  if (!files.every((file) => fs.existsSync(file))) encode(dir);
  const layers = layerSpecs.map((_, i) => readIvf(fs.readFileSync(files[i]!)).slice(gopFrames));
  const frames = Math.min(...layers.map((l) => l.length));
  const gopStarts = [];
  for (let i = 0; i < frames; i++) if (layers.every((l) => l[i]!.key)) gopStarts.push(i);
  if (gopStarts[0] !== 0) throw new Error('the clip must start with a key frame on every layer');
  return { layers: layers.map((l) => l.slice(0, frames)), fps, gopStarts, opus: readOggOpus(fs.readFileSync(files[3]!)) };
}

function encode(dir: string): void {
  const staging = `${dir}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  console.error(`[bench] encoding the synthetic sites' clip into ${dir}`);
  const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', String(gopFrames), '-keyint_min', String(gopFrames)];
  const outputs = layerSpecs.flatMap((spec, i) => [
    '-map',
    `[v${i}]`,
    ...vp8,
    '-b:v',
    `${spec.kbps}k`,
    '-maxrate',
    `${spec.kbps}k`,
    '-bufsize',
    `${spec.kbps}k`,
    // three temporal layers, 40% / 60% / 100% of the rate as libwebrtc splits them
    '-ts-parameters',
    `ts_layering_mode=3:ts_target_bitrate=${[0.4, 0.6, 1].map((share) => Math.round(spec.kbps * share)).join(',')}`,
    '-auto-alt-ref',
    '0',
    '-lag-in-frames',
    '0',
    '-error-resilient',
    '1',
    path.join(staging, `layer${i}.ivf`),
  ]);
  const split = layerSpecs.map((spec, i) => `[s${i}]scale=${spec.width}:${spec.height}[v${i}]`).join(';');
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=${fps}:d=${seconds},noise=alls=25:allf=t+u`],
      ...['-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=48000:duration=${seconds}`],
      '-filter_complex',
      `[0:v]split=${layerSpecs.length}${layerSpecs.map((_, i) => `[s${i}]`).join('')};${split}`,
      ...outputs,
      ...['-map', '1:a', '-c:a', 'libopus', '-b:a', '32k', '-frame_duration', '20', path.join(staging, 'voice.ogg')],
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
}

/** IVF: a 32-byte file header, then per frame a 12-byte header (size, pts) and the frame. */
function readIvf(file: Buffer): Array<{ data: Buffer; key: boolean }> {
  const frames = [];
  for (let offset = file.readUInt16LE(6); offset + 12 <= file.length;) {
    const size = file.readUInt32LE(offset);
    const data = file.subarray(offset + 12, offset + 12 + size);
    // VP8 frame tag: bit 0 is 0 on a key frame
    frames.push({ data, key: (data[0]! & 0x01) === 0 });
    offset += 12 + size;
  }
  return frames;
}

/** A room system's camera and microphone as a Poly or Cisco codec sends them: H.264 Constrained Baseline and G.711 µ-law (a quiet room). */
export interface RoomSystemClip {
  /** 1280×720 pictures at `fps`, each its NAL units (parameter sets before each IDR). */
  pictures: Array<{ nals: Buffer[]; key: boolean }>;
  fps: number;
  /** 8 kHz µ-law, 20 ms (160 bytes) per packet. */
  voice: Buffer[];
}

const roomSystemSeconds = 20;

/** Encoded once with ffmpeg (x264, one slice a picture, a key frame every 2 s at 1.2 Mbit/s) and cached outside the checkout. */
export function loadRoomSystemClip(): RoomSystemClip {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(cacheHome, 'province-hub', 'bench', 'room-system-clip-v1');
  const video = path.join(dir, 'camera.h264');
  const voice = path.join(dir, 'voice.ul');
  if (!fs.existsSync(video) || !fs.existsSync(voice)) {
    const staging = `${dir}.partial-${process.pid}`;
    fs.mkdirSync(staging, { recursive: true });
    console.error(`[bench] encoding the room systems' clip into ${dir}`);
    execFileSync(
      'ffmpeg',
      [
        ...['-hide_banner', '-loglevel', 'error', '-y'],
        ...['-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=${fps}:d=${roomSystemSeconds},noise=alls=20:allf=t+u`],
        // a quiet room: its microphone open, nobody speaking (the chair stays the speaker)
        ...['-f', 'lavfi', '-i', `anoisesrc=colour=pink:amplitude=0.003:sample_rate=8000:duration=${roomSystemSeconds}`],
        ...['-map', '0:v', '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'],
        ...['-x264-params', 'slices=1:sliced-threads=0', '-g', '50', '-keyint_min', '50'],
        ...['-b:v', '1200k', '-maxrate', '1200k', '-bufsize', '1200k', '-f', 'h264', path.join(staging, 'camera.h264')],
        ...['-map', '1:a', '-c:a', 'pcm_mulaw', '-f', 'mulaw', path.join(staging, 'voice.ul')],
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  }
  const ulaw = fs.readFileSync(voice);
  const packets = [];
  for (let offset = 0; offset + 160 <= ulaw.length; offset += 160) packets.push(ulaw.subarray(offset, offset + 160));
  return { pictures: annexBPictures(fs.readFileSync(video)), fps, voice: packets };
}

/**
 * An Annex B stream's pictures: its NAL units split at their start codes, a picture ending with its slice (one slice a
 * picture, as encoded), the parameter sets and SEI before it going with it.
 */
function annexBPictures(stream: Buffer): Array<{ nals: Buffer[]; key: boolean }> {
  const starts: Array<{ at: number; code: number }> = [];
  for (let i = 0; i + 3 <= stream.length; i++)
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      const four = i > 0 && stream[i - 1] === 0;
      starts.push({ at: four ? i - 1 : i, code: four ? 4 : 3 });
      i += 2;
    }
  const pictures: Array<{ nals: Buffer[]; key: boolean }> = [];
  let pending: Buffer[] = [];
  for (const [n, start] of starts.entries()) {
    const nal = stream.subarray(start.at + start.code, starts[n + 1]?.at ?? stream.length);
    pending.push(nal);
    const type = nal[0]! & 0x1f;
    if (type === 1 || type === 5) {
      pictures.push({ nals: pending, key: type === 5 });
      pending = [];
    }
  }
  if (!pictures[0]?.key) throw new Error('the room systems’ clip must start with a key frame');
  return pictures;
}
