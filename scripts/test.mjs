// `npm test`: set up what is missing (Debian packages, npm ci, mediasoup worker, builds, PostgreSQL),
// then run the whole suite: lint, types, mediasoup's own Node test-suite against the worker we built, vitest
// (unit + integration) and Playwright (real Chromium end to end); then the check that nothing was left behind,
// the time of each suite and the slowest files.
//   npm test [-- --busy]   --busy: one core kept busy for the whole run (the suite must pass on a machine doing other work)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCpuHog } from './cpu-hog.mjs';
import { root } from './lib.mjs';
import { useProjectNode } from './node-runtime.mjs';
import { ensurePostgres } from './postgres.mjs';
import { setup } from './setup.mjs';

await useProjectNode();

const busy = process.argv.includes('--busy') ? startCpuHog() : undefined;
if (busy) console.log(`one core kept busy for the run (pid ${busy.pid})`);
const startedAt = Date.now();
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

/** Each suite's wall time, printed at the end. */
const suiteSeconds = [];

/** Runs one suite's command to its end; its output is printed as it comes (`inherit`) or, when `quiet`, at the end. */
async function runSuite(name, command, args, { extraEnv = {}, quiet = false } = {}) {
  if (!quiet) console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const child = spawn('npx', [command, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  const output = [];
  child.stdout?.on('data', (chunk) => output.push(chunk));
  child.stderr?.on('data', (chunk) => output.push(chunk));
  const status = await new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('close', (code) => resolve(code));
  });
  suiteSeconds.push({ name, seconds: (Date.now() - started) / 1000 });
  if (quiet) process.stdout.write(`\n=== ${name} ===\n${Buffer.concat(output).toString()}`);
  return status === 0;
}

// The static checks and mediasoup's own suite use the CPU, not real time: they run side by side (eslint on one
// core, the others one after the other on the second), each printing its output when it ends.
// The media suites then run one after the other: they run in real time (streams, cameras, browsers), and two of
// them side by side on two cores starve each other's encoders (tried: a camera's stream then does stall).
// npx runs the project's eslint and prettier binaries, as `npm run lint` does.
const mediasoupReport = path.join(reports, 'mediasoup.json');
const staticStartedAt = Date.now();
const [lintOk, formatOk, typesOk, clientTypesOk, mediasoupOk] = await Promise.all([
  runSuite('lint (eslint)', 'eslint', ['.'], { quiet: true }),
  (async () => {
    const checks = [
      ['format (prettier --check)', 'prettier', ['--check', '.']],
      ['typecheck (server, tests, client)', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
      ['typecheck (client)', 'tsc', ['-p', 'client/tsconfig.json']],
      [
        "mediasoup's own test-suite (jest, our worker)",
        'jest',
        ['--config', 'test/mediasoup/jest.config.mjs', '--detectOpenHandles', '--json', `--outputFile=${mediasoupReport}`],
      ],
    ];
    const results = [];
    for (const [name, command, args] of checks) results.push(await runSuite(name, command, args, { quiet: true }));
    return results;
  })(),
]).then(([lint, rest]) => [lint, ...rest]);
const staticSeconds = (Date.now() - staticStartedAt) / 1000;
const vitestReport = path.join(reports, 'vitest.json');
const playwrightReport = path.join(reports, 'playwright.json');
const vitestOk = await runSuite('vitest (unit + integration)', 'vitest', [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${vitestReport}`,
]);
const playwrightOk = await runSuite('playwright (end to end, Chromium)', 'playwright', ['test', '--reporter=list,json'], {
  extraEnv: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
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

/** Every test file's wall time, from the runners' JSON reports. */
function fileSeconds() {
  const files = [];
  for (const report of [mediasoupReport, vitestReport]) {
    if (!fs.existsSync(report)) continue;
    for (const result of JSON.parse(fs.readFileSync(report, 'utf8')).testResults ?? [])
      files.push({ file: path.relative(root, result.name), seconds: (result.endTime - result.startTime) / 1000 });
  }
  if (fs.existsSync(playwrightReport)) {
    const { suites } = JSON.parse(fs.readFileSync(playwrightReport, 'utf8'));
    const testsOf = (suite) => [...(suite.specs ?? []).flatMap((spec) => spec.tests), ...(suite.suites ?? []).flatMap(testsOf)];
    for (const suite of suites ?? []) {
      const ms = testsOf(suite)
        .flatMap((t) => t.results)
        .reduce((sum, r) => sum + r.duration, 0);
      files.push({ file: path.join('test/e2e', suite.file), seconds: ms / 1000 });
    }
  }
  return files.sort((a, b) => b.seconds - a.seconds);
}

const { passed, failed } = counts();
const slowest = fileSeconds().slice(0, 15);
fs.rmSync(reports, { recursive: true, force: true });
fs.rmSync(runtimeDir, { recursive: true, force: true });

console.log('\n=== left behind (temp files, processes, network namespaces, test databases) ===');
const leaks = await findLeaks(watch);
const leftBehind = describeLeaks(leaks);
await removeLeaks(watch, leaks);
if (leftBehind.length > 0) for (const line of leftBehind) console.log(`  ${line}`);
else console.log('nothing');

busy?.stop();
console.log('\n=== time ===');
for (const { name, seconds } of suiteSeconds) console.log(`  ${seconds.toFixed(0).padStart(5)} s  ${name}`);
console.log(`  ${staticSeconds.toFixed(0).padStart(5)} s  lint, format, types and mediasoup's suite together (side by side)`);
console.log(
  `  ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s  in all, set-up included${busy ? ', one core kept busy' : ''}`,
);
console.log('slowest files:');
for (const { file, seconds } of slowest) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${file}`);

const ok =
  lintOk && formatOk && typesOk && clientTypesOk && mediasoupOk && vitestOk && playwrightOk && leftBehind.length === 0 && passed > 0;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
