import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutClip } from '../../camera-gateway/recording/ClipCutter.js';
import { SegmentIndex } from '../../camera-gateway/recording/SegmentIndex.js';
import { openDatabase, type Database } from '../../prisma/index.js';
import { testTempDir } from '../support/tempDirs.js';
import { cameraRow, tempDatabase } from './helpers.js';

const silent = { warn: () => undefined, error: () => undefined };

function durationOf(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }));
}

describe('the segment index between two recording passes', () => {
  let database: Database;
  let drop: () => Promise<void>;
  let cameraId: number;
  let directory: string;
  let sample: string;

  beforeAll(async () => {
    const temp = await tempDatabase();
    database = await openDatabase(temp.config);
    drop = () => temp.drop();
    const camera = await cameraRow(database.prisma);
    cameraId = camera.id;
    directory = testTempDir('hub-segments-');
    // one 2 s segment as a pull writes it (H.264 in MPEG-TS, a key frame every second)
    sample = path.join(directory, 'sample.ts');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x240:rate=10',
      '-t',
      '2',
      '-c:v',
      'libx264',
      '-g',
      '10',
      '-f',
      'mpegts',
      sample,
    ]);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  /** A segment file named by the second it was opened, last written `lastWrite` seconds after the epoch. */
  const segment = (index: SegmentIndex, opened: number, lastWrite: number) => {
    const file = path.join(index.cameraDirectory(cameraId), `${opened}.ts`);
    fs.copyFileSync(sample, file);
    fs.utimesSync(file, lastWrite, lastWrite);
  };

  it('a segment completed since the last pass is in the ranges and the clips at once, not left out until the next pass', async () => {
    const index = new SegmentIndex(database.prisma, directory, silent);
    const seconds = durationOf(sample);
    const base = Math.floor(Date.now() / 1000) - 60;
    // the last pass: the first segment complete (indexed), the second being written
    segment(index, base, base + seconds);
    segment(index, base + 2, base + 2 + seconds / 2);
    await index.scan(cameraId, true);
    expect(await database.prisma.recordingSegment.count({ where: { cameraId } })).toBe(1);

    // the second completes and a third begins, before the next pass
    segment(index, base + 2, base + 2 * seconds);
    segment(index, base + 4, base + 2 * seconds + 1);
    const from = new Date((base - 10) * 1000);
    const to = new Date((base + 10) * 1000);
    const segments = await index.overlapping(cameraId, from, to, true);
    expect(segments.map((s) => path.basename(s.file))).toEqual([`${base}.ts`, `${base + 2}.ts`, `${base + 4}.ts`]);
    // the query indexed the completed one itself (its times from its duration), not the one being written
    expect(segments.map((s) => s.id === null)).toEqual([false, false, true]);
    const ranges = await index.ranges(cameraId, from, to, true);
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.end.getTime()).toBe((base + 2 * seconds + 1) * 1000);

    // a clip over the first two segments holds both (3 s asked from 0.5 s in)
    const clip = await cutClip(
      segments.map((s) => ({ ...s, path: index.pathOf(s) })),
      new Date((base + 0.5) * 1000),
      new Date((base + 3.5) * 1000),
    );
    try {
      expect(durationOf(clip.file)).toBeGreaterThanOrEqual(3 - 0.05);
    } finally {
      clip.dispose();
    }
  });
});
