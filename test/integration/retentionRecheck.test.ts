import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { Retention } from '../../camera-gateway/recording/Retention.js';
import { defaultRecordingOptions } from '../../camera-gateway/index.js';
import { SegmentIndex } from '../../camera-gateway/recording/SegmentIndex.js';
import { MotionStore } from '../../camera-gateway/motion/MotionStore.js';
import { openDatabase, type Database } from '../../prisma/index.js';
import { testTempDir } from '../support/tempDirs.js';
import { cameraRow, tempDatabase } from './helpers.js';

const quietLog = { warn: () => undefined, error: () => undefined };

describe('retention and a lock made while it runs', () => {
  let database: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await database?.close();
    await drop?.();
  });

  it('keeps a segment a supervisor locks after the pass began: the lock is asked again just before each deletion', async () => {
    const temp = await tempDatabase();
    drop = () => temp.drop();
    database = await openDatabase(temp.config);
    const { prisma } = database;
    const directory = testTempDir('hub-retention-');
    const camera = await cameraRow(prisma);
    // two segments of 40 days ago, past the 30 days kept
    const old = Date.now() - 40 * 86_400_000;
    const segments = [0, 1].map((n) => ({
      cameraId: camera.id,
      file: `${camera.id}/${Math.floor(old / 1000) + n * 120}.ts`,
      startedAt: new Date(old + n * 120_000),
      endedAt: new Date(old + (n + 1) * 120_000),
      bytes: 1000,
    }));
    fs.mkdirSync(path.join(directory, String(camera.id)));
    for (const segment of segments) {
      fs.writeFileSync(path.join(directory, segment.file), 'ts');
      await prisma.recordingSegment.create({ data: segment });
    }
    // while the pass deletes the first, a supervisor locks the second as evidence
    class LockedMeanwhile extends SegmentIndex {
      override async remove(segment: { id: number; file: string }): Promise<void> {
        if (segment.file === segments[0]!.file)
          await prisma.evidenceLock.create({
            data: {
              cameraId: camera.id,
              from: segments[1]!.startedAt,
              to: segments[1]!.endedAt,
              reason: 'khiếu nại',
              lockedBy: 'giam-sat',
            },
          });
        await super.remove(segment);
      }
    }
    const motion = new MotionStore({ directory, noiseFloor: 3, flushIntervalMs: 60_000, log: quietLog });
    onTestFinished(() => motion.close());
    const retention = new Retention(
      prisma,
      new LockedMeanwhile(prisma, directory, quietLog),
      motion,
      { ...defaultRecordingOptions, directory },
      quietLog,
    );
    await retention.sweep(new Date(), []);
    expect((await prisma.recordingSegment.findMany()).map((s) => s.file)).toEqual([segments[1]!.file]);
    expect(fs.existsSync(path.join(directory, segments[1]!.file))).toBe(true);
    expect(fs.existsSync(path.join(directory, segments[0]!.file))).toBe(false);
  });
});
