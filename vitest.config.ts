import { defineConfig } from 'vitest/config';
// @ts-expect-error plain .mjs helper without type declarations
import { findWorker } from './scripts/mediasoup-worker/resolve.mjs';

const workerBin = process.env.MEDIASOUP_WORKER_BIN ?? (findWorker() as string | undefined);

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: workerBin ? { MEDIASOUP_WORKER_BIN: workerBin } : {},
  },
});
