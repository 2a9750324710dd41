/**
 * The mediasoup release the hub ran before (3.19.3, the last for Node 20), for benches that compare
 * it with the current one in the same run: its Node library from the npm registry and its worker
 * built by the project's offline recipe, both cached outside the checkout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as mediasoupTypes from 'mediasoup';

export const baselineVersion = '3.19.3';

export interface MediasoupRelease {
  version: string;
  mediasoup: typeof mediasoupTypes;
  workerBin: string;
}

const root = path.resolve(import.meta.dirname, '..');

export function baselineMediasoup(version = baselineVersion): MediasoupRelease {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(cacheHome, 'province-hub', 'bench', `mediasoup-${version}`);
  const packageDir = path.join(dir, 'node_modules', 'mediasoup');
  if (!fs.existsSync(path.join(packageDir, 'package.json'))) {
    console.error(`[bench] installing mediasoup ${version}'s Node library into ${dir}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund', `mediasoup@${version}`], {
      stdio: ['ignore', 2, 2],
    });
  }
  const workerBin = execFileSync(process.execPath, [path.join(root, 'scripts', 'mediasoup-worker', 'resolve.mjs'), 'build', packageDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  // Releases before 3.20 read the worker's path from the environment when the library loads.
  const previous = process.env.MEDIASOUP_WORKER_BIN;
  process.env.MEDIASOUP_WORKER_BIN = workerBin;
  try {
    const mediasoup = createRequire(path.join(dir, 'package.json'))('mediasoup') as typeof mediasoupTypes;
    return { version, mediasoup, workerBin };
  } finally {
    if (previous === undefined) delete process.env.MEDIASOUP_WORKER_BIN;
    else process.env.MEDIASOUP_WORKER_BIN = previous;
  }
}
