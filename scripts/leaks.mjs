// What a test run leaves behind. `npm test` gives every suite its own temp folder (TMPDIR) and a run
// marker in the environment (inherited by every process a test starts: hubs, workers, ffmpeg, Chromium);
// afterwards anything still in that folder, any process still carrying the marker, any network namespace
// or test database that was not there before is a leak: listed, removed, and the run fails.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const runMarker = 'HUB_TEST_RUN';
/**
 * Caches the tools keep in the temp folder by design and reuse across runs (Node's compile cache,
 * jest, jiti for ESLint, Playwright's transform cache, tsx): theirs, not the tests'.
 */
const toolCaches = [/^node-compile-cache$/, /^jest_\w+$/, /^jiti$/, /^playwright-transform-cache-\d+$/, /^tsx-\d+$/];
/** Databases the suites create for themselves (the admin database `hub_test` is the rig's, kept). */
const testDatabasePattern = /^hub_(it|test)_/;

function networkNamespaces() {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(' ')[0])
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function testDatabases(adminUrl) {
  if (!adminUrl) return [];
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database');
    return rows.map((r) => r.datname).filter((name) => testDatabasePattern.test(name));
  } finally {
    await client.end();
  }
}

/** Processes whose environment carries this run's marker. */
function markedProcesses(runId) {
  const needle = Buffer.from(`\0${runMarker}=${runId}\0`);
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${entry}/environ`), Buffer.from([0])]);
      if (!environ.includes(needle)) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return found;
}

/** Before the suites: a fresh temp folder, the marker, and what already exists. */
export async function startLeakWatch({ postgresAdminUrl } = {}) {
  const runId = randomBytes(8).toString('hex');
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-run-'));
  return {
    runId,
    tmpDir,
    postgresAdminUrl,
    env: { TMPDIR: tmpDir, [runMarker]: runId },
    namespacesBefore: new Set(networkNamespaces()),
    databasesBefore: new Set(await testDatabases(postgresAdminUrl)),
  };
}

/** After the suites: what they left. */
export async function findLeaks(watch) {
  return {
    tempEntries: fs.existsSync(watch.tmpDir)
      ? fs
          .readdirSync(watch.tmpDir)
          .filter((name) => !toolCaches.some((cache) => cache.test(name)))
          .sort()
      : [],
    processes: markedProcesses(watch.runId),
    namespaces: networkNamespaces().filter((name) => !watch.namespacesBefore.has(name)),
    databases: (await testDatabases(watch.postgresAdminUrl)).filter((name) => !watch.databasesBefore.has(name)),
  };
}

export function describeLeaks(leaks) {
  return [
    ...leaks.tempEntries.map((name) => `temp: ${name}`),
    ...leaks.processes.map((p) => `process ${p.pid}: ${p.command.slice(0, 160)}`),
    ...leaks.namespaces.map((name) => `network namespace: ${name}`),
    ...leaks.databases.map((name) => `database: ${name}`),
  ];
}

/** Removes what was left, so one failing run does not leave the machine dirty for the next. */
export async function removeLeaks(watch, leaks) {
  for (const { pid } of leaks.processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const name of leaks.namespaces) {
    try {
      execFileSync('ip', ['netns', 'delete', name]);
    } catch {
      // already gone
    }
  }
  if (leaks.databases.length > 0) {
    const client = new pg.Client({ connectionString: watch.postgresAdminUrl });
    await client.connect();
    try {
      for (const name of leaks.databases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  fs.rmSync(watch.tmpDir, { recursive: true, force: true });
}
