// Helpers shared by the set-up, start and test scripts. Plain Node (no dependencies): they run
// before `npm ci` has installed anything.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Progress goes to stderr, so that a script's stdout can carry a result. */
export function log(message) {
  console.error(`[setup] ${message}`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
  }
}

export function isRoot() {
  return process.getuid?.() === 0;
}

let aptUpdated = false;

/** Installs the Debian packages that are missing (as root); tells a non-root user what to install. */
export function ensureAptPackages(packages) {
  const missing = packages.filter((name) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
        'install ok installed',
      );
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  if (!isRoot()) throw new Error(`missing Debian packages: ${missing.join(' ')} (run: sudo apt-get install ${missing.join(' ')})`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-q'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

/** Newest modification time under the given paths (files or folders), skipping generated output. */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      if (['node_modules', 'dist', 'generated'].includes(path.basename(p))) return;
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) visit(path.join(root, p));
  return newest;
}

export function mtime(p) {
  const full = path.join(root, p);
  return fs.existsSync(full) ? fs.statSync(full).mtimeMs : 0;
}
