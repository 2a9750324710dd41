import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers.js';

describe('the attendance heartbeat', () => {
  let hub: TestHub;
  const logLines: string[] = [];
  beforeAll(async () => {
    hub = await startTestHub({ attendance: { reconnectGraceMs: 120_000, heartbeatMs: 200 }, logLines });
  });
  afterAll(async () => hub?.close());

  const failures = async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    return Number(/^hub_attendance_heartbeat_failures_total (\d+)/m.exec(text)?.[1] ?? NaN);
  };

  it('says when stamping the open presences fails: in the log and counted in /metrics', async () => {
    expect(await failures()).toBe(0);
    // the presences' table out of reach, as a database that went away would leave it
    const { prisma } = hub.database;
    await prisma.$executeRawUnsafe('ALTER TABLE "AttendanceSession" RENAME TO "AttendanceSessionAway"');
    try {
      await expect.poll(failures).toBeGreaterThan(0);
      expect(logLines.some((line) => line.includes('stamping the open presences failed'))).toBe(true);
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE "AttendanceSessionAway" RENAME TO "AttendanceSession"');
    }
  });
});
