import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath, fakeMicrophoneArg } from './test/browser.js';
import { findWorker } from './scripts/mediasoup-worker/resolve.mjs';
import { serverEntry } from './scripts/server-build.mjs';

/** Two hubs: one ordinary, one that places every peer of a meeting on a new worker (pipeToRouter). */
export const hubs = { standard: 3100, spread: 3101 } as const;
const workerBin = process.env.MEDIASOUP_WORKER_BIN ?? findWorker();
if (!workerBin) throw new Error('no mediasoup-worker on this machine: run `npm run setup` (npm test does) first');
const dataDir = path.join(os.tmpdir(), `hub-e2e-${process.pid}`);
// The hubs' databases go when the runner exits, after it has stopped the hubs, whether tests passed or not.
// (Workers load this file too; only the runner, which has no worker index, owns the folder.)
if (process.env.TEST_WORKER_INDEX === undefined) process.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));

const server = (port: number, extra: Record<string, string>) => ({
  command: `node ${serverEntry}`,
  port,
  reuseExistingServer: false,
  timeout: 60_000,
  // the hubs' warnings and errors (LOG_LEVEL warn) in the run's output: a failure's cause is often told there
  stdout: 'pipe' as const,
  env: {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${path.join(dataDir, `${port}.db`)}`,
    RECORDINGS_DIR: path.join(dataDir, `recordings-${port}`),
    MEETING_RECORDINGS_DIR: path.join(dataDir, `meeting-recordings-${port}`),
    RECORDING_SEGMENT_SECONDS: '10',
    MEDIA_WORKERS: '2',
    MEDIA_LISTEN_IP: '127.0.0.1',
    FEED_LISTEN_IP: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_SAMPLE_DATA: 'true',
    SAMPLE_CAMERAS: 'false',
    // loopback is a secure context: these hubs stay on plain HTTP (the network test runs HTTPS)
    TLS: 'off',
    // nor do they need relays; the TURN tests start their own coturn
    TURN: 'off',
    MEDIASOUP_WORKER_BIN: workerBin,
    ...extra,
  },
});

export default defineConfig({
  testDir: 'test/e2e',
  // a test waits for what it checks with a generous deadline, never for a fixed time (docs/development.md, "Tests and time")
  timeout: 300_000,
  expect: { timeout: 60_000 },
  // one spec at a time: two Chromium-heavy specs on two cores starve each other's encoders. Specs whose changes
  // show on every page of a hub still run on a hub of their own (hubOfThisFile), so no spec depends on the order.
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: chromiumPath,
      args: [...chromiumArgs, fakeMicrophoneArg],
    },
    permissions: ['camera', 'microphone'],
  },
  webServer: [
    // one hub with a port per transport, the other with one port per worker (WebRtcServer)
    server(hubs.standard, {
      MEDIA_RTC_MIN_PORT: '41000',
      MEDIA_RTC_MAX_PORT: '41999',
      MEDIA_WEBRTC_SERVER_PORT: 'off',
      FEED_MIN_PORT: '19350',
      FEED_MAX_PORT: '19399',
    }),
    server(hubs.spread, { MEDIA_PEERS_PER_ROUTER: '1', MEDIA_WEBRTC_SERVER_PORT: '42000', FEED_MIN_PORT: '19400', FEED_MAX_PORT: '19449' }),
  ],
});
