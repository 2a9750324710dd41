// `npm test`: set up what is missing (Debian packages, npm ci, mediasoup worker, builds, PostgreSQL),
// then run the whole suite: lint, types, mediasoup's own Node test-suite against the worker we built, vitest
// (unit + integration) and Playwright (real Chromium end to end); then the check that nothing was left behind.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';
import { useProjectNode } from './node-runtime.mjs';
import { ensurePostgres } from './postgres.mjs';
import { setup } from './setup.mjs';

await useProjectNode();

const setupEnv = await setup('test');
const postgresAdminUrl = ensurePostgres('hub_test');
// every suite (and all it starts) gets the run's own TMPDIR and marker: see scripts/leaks.mjs
// (loaded only now: it needs the npm dependencies set-up has just installed on a fresh clone)
const { describeLeaks, findLeaks, removeLeaks, startLeakWatch } = await import('./leaks.mjs');
const watch = await startLeakWatch({ postgresAdminUrl });
// Chromium's PulseAudio client keeps a runtime folder under XDG_RUNTIME_DIR, else in TMPDIR behind a link in
// ~/.config/pulse that outlives the run (every run after the first would find a new folder in its TMPDIR):
// the run gives it one of its own, removed with the reports
const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-runtime-'));
const env = { ...process.env, ...setupEnv, TEST_POSTGRES_ADMIN_URL: postgresAdminUrl, XDG_RUNTIME_DIR: runtimeDir, ...watch.env };
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-reports-'));

function runSuite(name, command, args, extraEnv = {}) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync('npx', [command, ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  return result.status === 0;
}

// npx runs the project's eslint and prettier binaries, as `npm run lint` does
const lintOk = runSuite('lint (eslint)', 'eslint', ['.']) && runSuite('format (prettier --check)', 'prettier', ['--check', '.']);
const typesOk =
  runSuite('typecheck (server, tests, client)', 'tsc', ['-p', 'tsconfig.json', '--noEmit']) &&
  runSuite('typecheck (client)', 'tsc', ['-p', 'client/tsconfig.json']);
const mediasoupReport = path.join(reports, 'mediasoup.json');
const mediasoupOk = runSuite("mediasoup's own test-suite (jest, our worker)", 'jest', [
  '--config',
  'test/mediasoup/jest.config.mjs',
  '--detectOpenHandles',
  '--json',
  `--outputFile=${mediasoupReport}`,
]);
const vitestReport = path.join(reports, 'vitest.json');
const playwrightReport = path.join(reports, 'playwright.json');
const vitestOk = runSuite('vitest (unit + integration)', 'vitest', [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${vitestReport}`,
]);
const playwrightOk = runSuite('playwright (end to end, Chromium)', 'playwright', ['test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
});

function counts() {
  let passed = 0;
  let failed = 0;
  // jest and vitest write the same JSON summary
  for (const report of [mediasoupReport, vitestReport]) {
    if (!fs.existsSync(report)) continue;
    const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
  }
  if (fs.existsSync(playwrightReport)) {
    const p = JSON.parse(fs.readFileSync(playwrightReport, 'utf8'));
    passed += p.stats.expected;
    failed += p.stats.unexpected + p.stats.flaky;
  }
  return { passed, failed };
}

const { passed, failed } = counts();
fs.rmSync(reports, { recursive: true, force: true });
fs.rmSync(runtimeDir, { recursive: true, force: true });

console.log('\n=== left behind (temp files, processes, network namespaces, test databases) ===');
const leaks = await findLeaks(watch);
const leftBehind = describeLeaks(leaks);
await removeLeaks(watch, leaks);
if (leftBehind.length > 0) for (const line of leftBehind) console.log(`  ${line}`);
else console.log('nothing');

const ok = lintOk && typesOk && mediasoupOk && vitestOk && playwrightOk && leftBehind.length === 0 && passed > 0;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
