import { defineConfig } from 'vitest/config';
import { findWorker } from './scripts/mediasoup-worker/resolve.mjs';

const workerBin = process.env.MEDIASOUP_WORKER_BIN ?? findWorker();
const databaseSuites = [
  'test/integration/signalling.test.ts',
  'test/integration/meetings.test.ts',
  'test/integration/controls.test.ts',
  'test/integration/reports.test.ts',
  'test/integration/yearSeed.test.ts',
  'test/integration/accounts.test.ts',
  'test/integration/firstAdmin.test.ts',
  'test/integration/segmentIndex.test.ts',
  'test/integration/whipIngest.test.ts',
  'test/integration/provinceImport.test.ts',
  'test/integration/votes.test.ts',
  'test/integration/agenda.test.ts',
  'test/integration/speaking.test.ts',
  'test/integration/minutes.test.ts',
  'test/integration/motionRetention.test.ts',
];

/** Everything on SQLite; the suites that touch the database once more on PostgreSQL. */
export default defineConfig({
  test: {
    // A test waits for what it checks with a generous deadline, never for a fixed time: a busy machine only
    // makes it wait longer (see "Tests and time" in docs/development.md).
    testTimeout: 180_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 60_000, interval: 100 } },
    pool: 'forks',
    // most suites wait on real time (streams, cameras, timers), not on the CPU: two files at once on two cores
    maxWorkers: 2,
    setupFiles: ['test/support/cleanup.ts'],
    env: workerBin ? { MEDIASOUP_WORKER_BIN: workerBin } : {},
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          env: { HUB_TEST_DATABASE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: { name: 'postgresql', include: databaseSuites, env: { HUB_TEST_DATABASE: 'postgresql' } },
      },
    ],
  },
});
