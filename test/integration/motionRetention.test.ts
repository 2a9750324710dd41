import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRecordingOptions } from '../../camera-gateway/index.js';
import { hourMs, hourOf } from '../../camera-gateway/motion/MotionFile.js';
import { MotionStore } from '../../camera-gateway/motion/MotionStore.js';
import { cellCount } from '../../camera-gateway/motion/MotionTypes.js';
import { Retention } from '../../camera-gateway/recording/Retention.js';
import { SegmentIndex } from '../../camera-gateway/recording/SegmentIndex.js';
import { openDatabase, type Database } from '../../prisma/index.js';
import { testTempDir } from '../support/tempDirs.js';
import { cameraRow, tempDatabase } from './helpers.js';

const quietLog = { warn: () => undefined, error: () => undefined };
const dayMs = 86_400_000;

describe('motion metadata goes with the recordings it describes', () => {
  let database: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  let motion: MotionStore | undefined;
  afterEach(async () => {
    await motion?.close();
    await database?.close();
    await drop?.();
  });

  it('removes the hours of segments retention or the quota removed, and hours past the retention, keeping locked evidence’s', async () => {
    const temp = await tempDatabase();
    drop = () => temp.drop();
    database = await openDatabase(temp.config);
    const { prisma } = database;
    const directory = testTempDir('hub-motion-retention-');
    const camera = await cameraRow(prisma);
    const now = Date.now();
    // the middle of an hour, so each segment lies in one hour's file
    const at = (msAgo: number) => hourOf(now - msAgo) + hourMs / 2;
    const moments = {
      expired: at(40 * dayMs),
      locked: at(40 * dayMs + 2 * hourMs),
      watchedLongAgo: at(41 * dayMs),
      overQuota: at(2 * dayMs),
      kept: at(dayMs),
      watchedToday: at(3 * hourMs),
    };
    motion = new MotionStore({ directory, noiseFloor: 3, flushIntervalMs: 60_000, log: quietLog });
    const moving = new Uint8Array(cellCount).fill(20);
    for (const moment of Object.values(moments)) motion.append(camera.id, { at: moment, spanMs: 1000, levels: moving });
    await motion.flush();
    fs.mkdirSync(path.join(directory, String(camera.id)), { recursive: true });
    for (const name of ['expired', 'locked', 'overQuota', 'kept'] as const) {
      const file = `${camera.id}/${Math.floor((moments[name] - 60_000) / 1000)}.ts`;
      fs.writeFileSync(path.join(directory, file), 'ts');
      await prisma.recordingSegment.create({
        data: {
          cameraId: camera.id,
          file,
          startedAt: new Date(moments[name] - 60_000),
          endedAt: new Date(moments[name] + 60_000),
          bytes: 1000,
        },
      });
    }
    await prisma.evidenceLock.create({
      data: {
        cameraId: camera.id,
        from: new Date(moments.locked - 60_000),
        to: new Date(moments.locked + 60_000),
        reason: 'khiếu nại',
        lockedBy: 'giam-sat',
      },
    });
    const hourFiles = () => motion!.hours(camera.id);
    expect(hourFiles()).toHaveLength(6);

    // room for two segments: the locked one and the newest stay, the one in between goes for the quota
    const options = { ...defaultRecordingOptions, directory, quotaBytes: 2000 };
    await new Retention(prisma, new SegmentIndex(prisma, directory, quietLog), motion, options, quietLog).sweep(new Date(now), []);

    expect((await prisma.recordingSegment.findMany({ orderBy: { startedAt: 'asc' } })).map((s) => s.startedAt.getTime() + 60_000)).toEqual([
      moments.locked,
      moments.kept,
    ]);
    expect(hourFiles()).toEqual([moments.locked, moments.kept, moments.watchedToday].map(hourOf));
  });
});
