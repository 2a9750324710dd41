// Everything `npm start` and `npm test` need on a fresh Debian 12 checkout, each step skipped when
// already done: Debian packages, npm ci, the mediasoup worker, Prisma clients, the builds.
//   node scripts/setup.mjs [start|test|dev]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAptPackages, log, mtime, newestMtime, root, run } from './lib.mjs';
import { buildServer } from './server-build.mjs';
import { cachedWorkerPath, ensureWorker, findWorker } from './mediasoup-worker/resolve.mjs';
import { useProjectNode } from './node-runtime.mjs';

// coturn: the TURN tests run their own; libnss3-tools: certutil, so test browsers trust the hub's CA;
// nftables: the network test's commune firewalls; baresip (with its ffmpeg codecs): the SIP tests' MCU
const testPackages = [
  'chromium',
  'postgresql',
  'coturn',
  'libnss3-tools',
  'nftables',
  'redis-server',
  'haproxy',
  'baresip-core',
  'baresip-ffmpeg',
  // SIPp plays MCUs and floods in the SIP tests; tshark (with text2pcap) dissects the hub's BFCP
  'sip-tester',
  'tshark',
  // the minutes' PDF drawn as a picture (pdftoppm) and read back, Vietnamese marks and all (tesseract's Vietnamese)
  'poppler-utils',
  'tesseract-ocr',
  'tesseract-ocr-vie',
];
/**
 * The camera gateway's ffmpeg (also makes the simulated cameras' clips); openssl for the hub's own CA; coturn;
 * GStreamer for the program sent to SIP calls (x264 answering their key-frame requests, Opus for their mix, libav's
 * G.722 for a room system's);
 * espeak-ng for the Vietnamese announcements a SIP caller hears (spoken on the server: no recording to ship);
 * DejaVu Serif, its italic too, for the minutes' PDF (every Vietnamese letter, embedded in the file).
 */
const cameraPackages = [
  'ffmpeg',
  'openssl',
  'coturn',
  'gstreamer1.0-tools',
  'gstreamer1.0-plugins-base',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-ugly',
  'gstreamer1.0-libav',
  'espeak-ng',
  'fonts-dejavu-core',
  'fonts-dejavu-extra',
];

function installNodeModules() {
  const marker = 'node_modules/.package-lock.json';
  if (mtime(marker) >= mtime('package-lock.json') && mtime(marker) >= mtime('package.json')) return;
  log('installing npm dependencies (npm ci)');
  // mediasoup's own postinstall would download or build its worker during install; we resolve the
  // worker ourselves afterwards (prebuilt where reachable, else the offline build).
  const env = { ...process.env, MEDIASOUP_WORKER_BIN: findWorker() ?? cachedWorkerPath() };
  run('npm', ['ci', '--no-audit', '--no-fund'], { env });
}

function generatePrismaClients() {
  if (
    mtime('prisma/generated/sqlite/client.ts') >= mtime('prisma/schema.prisma') &&
    fs.existsSync(path.join(root, 'prisma/generated/postgresql/client.ts'))
  )
    return;
  log('generating Prisma clients (SQLite, PostgreSQL)');
  run(process.execPath, ['scripts/prisma.mjs', 'generate']);
}

function build() {
  buildServer();
  if (newestMtime(['client', 'shared']) > mtime('dist/client/index.html')) {
    log('building the client (vite)');
    run('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn']);
  }
}

/** Runs every step; returns the environment the app and tests need. */
export async function setup(mode = 'start') {
  ensureAptPackages(mode === 'test' ? [...cameraPackages, ...testPackages] : cameraPackages);
  installNodeModules();
  const workerBin = await ensureWorker();
  process.env.MEDIASOUP_WORKER_BIN = workerBin;
  generatePrismaClients();
  // `npm run dev` runs the sources (tsx, Vite): nothing to build
  if (mode !== 'dev') build();
  return { MEDIASOUP_WORKER_BIN: workerBin };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await useProjectNode();
  const env = await setup(process.argv[2] ?? 'start');
  log(`ready; MEDIASOUP_WORKER_BIN=${env.MEDIASOUP_WORKER_BIN}`);
}
