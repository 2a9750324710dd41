import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeLeaks, findLeaks, removeLeaks, runMarker, startLeakWatch } from '../../scripts/leaks.mjs';

/** The check at the end of `npm test`, run on a small run of its own that leaves one of each kind behind. */
describe('the leak check', () => {
  const namespace = `hub-leak-${process.pid}`;
  afterAll(() => {
    // in case an assertion failed before the check removed it
    try {
      execFileSync('ip', ['netns', 'delete', namespace], { stdio: 'ignore' });
    } catch {
      // removed by the check
    }
  });

  it('finds temp files, marked processes and new network namespaces, and removes them', async () => {
    const watch = await startLeakWatch();
    expect(await findLeaks(watch)).toEqual({ tempEntries: [], processes: [], namespaces: [], databases: [] });

    fs.mkdirSync(path.join(watch.tmpDir, 'hub-test-abc'));
    // a tool's own cache is not a test's leftover
    fs.mkdirSync(path.join(watch.tmpDir, 'node-compile-cache'));
    const sleeper = spawn('sleep', ['300'], { env: { ...process.env, ...watch.env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => sleeper.once('exit', resolve));
    execFileSync('ip', ['netns', 'add', namespace]);

    const leaks = await findLeaks(watch);
    expect(leaks.tempEntries).toEqual(['hub-test-abc']);
    expect(leaks.processes).toEqual([{ pid: sleeper.pid, command: 'sleep 300' }]);
    expect(leaks.namespaces).toEqual([namespace]);
    expect(describeLeaks(leaks)).toEqual(['temp: hub-test-abc', `process ${sleeper.pid}: sleep 300`, `network namespace: ${namespace}`]);
    // a process of another run (or none) is not this run's
    expect(leaks.processes.every((p) => p.pid !== process.pid)).toBe(true);

    await removeLeaks(watch, leaks);
    await exited;
    expect(fs.existsSync(watch.tmpDir)).toBe(false);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(namespace);
    expect(process.env[runMarker] === watch.runId).toBe(false);
  });

  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  it.runIf(adminUrl)('finds a test database that was not dropped, and drops it', async () => {
    const watch = await startLeakWatch({ postgresAdminUrl: adminUrl });
    const name = `hub_it_leak_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      const leaks = await findLeaks(watch);
      expect(leaks.databases).toEqual([name]);
      await removeLeaks(watch, leaks);
      const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rows).toHaveLength(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  });
});
