// Finds, fetches or builds the mediasoup-worker binary and tells where it is (MEDIASOUP_WORKER_BIN).
// Order: MEDIASOUP_WORKER_BIN if it exists; a worker this machine already built (cache outside the
// checkout, keyed by mediasoup version and the build recipe's hash); mediasoup's prebuilt worker in
// node_modules; mediasoup's normal prebuilt download where its release host answers; else the
// offline build from Debian libraries (build.sh).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAptPackages, log, root, run } from '../lib.mjs';

const here = path.join(root, 'scripts', 'mediasoup-worker');
export const buildDependencies = [
  'meson',
  'ninja-build',
  'pkg-config',
  'g++',
  'libssl-dev',
  'libuv1-dev',
  'libsrtp2-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
];

export function mediasoupVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return pkg.dependencies.mediasoup;
}

/** Every file of the offline build recipe (build.sh, make-shims.sh, shims/…), in a stable order. */
function recipeFiles(dir = here) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory() ? recipeFiles(path.join(dir, entry.name)) : entry.name === 'resolve.mjs' ? [] : [path.join(dir, entry.name)],
    );
}

/** Where this machine keeps the worker it built for a mediasoup version with this recipe. */
export function cachedWorkerPath(version = mediasoupVersion()) {
  const recipe = createHash('sha256');
  for (const file of recipeFiles()) recipe.update(path.relative(here, file)).update(fs.readFileSync(file));
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const key = `${version}-${recipe.digest('hex').slice(0, 16)}`;
  return path.join(cacheHome, 'province-hub', 'mediasoup-worker', key, 'mediasoup-worker');
}

/** Builds the worker of the mediasoup package in `packageDir` from Debian libraries (cached). */
export function buildWorkerOffline(packageDir, runOptions = {}) {
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const target = cachedWorkerPath(version);
  if (isExecutable(target)) return target;
  // 3.19.x (the baseline of bench/workerForwarding.ts) still links usrsctp
  const usesUsrsctp = fs.readFileSync(path.join(packageDir, 'worker', 'meson.build'), 'utf8').includes("'usrsctp'");
  ensureAptPackages(usesUsrsctp ? [...buildDependencies, 'libusrsctp-dev'] : buildDependencies);
  log(`building mediasoup-worker ${version} from Debian libraries (about 7 minutes on 2 cores) into ${target}`);
  run('bash', [path.join(here, 'build.sh'), packageDir, target], runOptions);
  return target;
}

const prebuiltPath = () => path.join(root, 'node_modules', 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The worker binary already on this machine, if any. */
export function findWorker() {
  const fromEnv = process.env.MEDIASOUP_WORKER_BIN;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  for (const candidate of [cachedWorkerPath(), prebuiltPath()]) if (isExecutable(candidate)) return candidate;
  return undefined;
}

async function prebuiltReachable() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'mediasoup', 'package.json'), 'utf8'));
  const base = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  try {
    const response = await fetch(`${base}/releases/tag/${pkg.version}`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Returns a usable worker path, fetching or building one if needed. Needs node_modules installed. */
export async function ensureWorker() {
  const found = findWorker();
  if (found) return found;
  if (await prebuiltReachable()) {
    log("fetching mediasoup's prebuilt worker");
    const env = { ...process.env };
    delete env.MEDIASOUP_WORKER_BIN;
    const result = spawnSync(process.execPath, ['npm-scripts.mjs', 'postinstall'], {
      cwd: path.join(root, 'node_modules', 'mediasoup'),
      env,
      stdio: 'inherit',
    });
    if (result.status === 0 && isExecutable(prebuiltPath())) return prebuiltPath();
    log('prebuilt worker unavailable; building from Debian libraries instead');
  }
  return buildWorkerOffline(path.join(root, 'node_modules', 'mediasoup'));
}

// node scripts/mediasoup-worker/resolve.mjs build <mediasoup package dir>: prints the built worker's path
// (the forwarding bench builds its 3.19.3 baseline this way).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, packageDir] = process.argv.slice(2);
  if (command !== 'build' || !packageDir) {
    console.error('usage: node scripts/mediasoup-worker/resolve.mjs build <mediasoup package dir>');
    process.exit(2);
  }
  // stdout carries only the path; the build's own output goes to stderr
  console.log(buildWorkerOffline(path.resolve(packageDir), { stdio: ['ignore', 2, 2] }));
}
