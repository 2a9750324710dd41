import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Segment } from './SegmentIndex.js';

const run = promisify(execFile);

export interface Clip {
  /** A temporary MP4: the caller sends it and then calls `dispose`. */
  file: string;
  bytes: number;
  sha256: string;
  dispose(): void;
}

/**
 * Cuts [from, to) out of a camera's segments as one MP4: the segments are concatenated (ffmpeg's
 * concat demuxer), the cut starts at the key frame at or before `from` (stream copy cannot start
 * elsewhere) and runs for the asked length, and the index goes first (faststart) so a player starts
 * at once. Nothing is transcoded: the clip is the camera's own pictures.
 */
export async function cutClip(segments: Array<Segment & { path: string }>, from: Date, to: Date): Promise<Clip> {
  const first = segments[0];
  if (!first) throw new RangeError('no recording in this range');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-clip-'));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const list = path.join(dir, 'segments.txt');
    fs.writeFileSync(list, segments.map((s) => `file '${s.path.replaceAll("'", "'\\''")}'\n`).join(''));
    // first the whole segments as one MP4 (TS has no index: a seek in it lands seconds early), then
    // the cut, which MP4's index takes to the key frame at or before `from`
    const joined = path.join(dir, 'joined.mp4');
    await remux(['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file', '-i', list, '-map', '0:v:0', '-c', 'copy'], joined);
    const file = path.join(dir, 'clip.mp4');
    const offset = Math.max(0, from.getTime() - first.startedAt.getTime()) / 1000;
    const duration = (to.getTime() - Math.max(from.getTime(), first.startedAt.getTime())) / 1000;
    const cut = ['-ss', offset.toFixed(3), '-i', joined, '-t', duration.toFixed(3), '-c', 'copy', '-avoid_negative_ts', 'make_zero'];
    await remux([...cut, '-movflags', '+faststart'], file);
    fs.rmSync(joined);
    const hash = createHash('sha256');
    await pipeline(fs.createReadStream(file), hash);
    return { file, bytes: fs.statSync(file).size, sha256: hash.digest('hex'), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** One ffmpeg run writing an MP4 to `output`. */
function remux(args: string[], output: string): Promise<unknown> {
  return run('ffmpeg', ['-v', 'error', ...args, '-f', 'mp4', output], { timeout: 120_000 });
}
