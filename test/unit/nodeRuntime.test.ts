import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixture = path.join(import.meta.dirname, 'fixtures', 'projectNode.mjs');
const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

/** Debian 12's own Node (20) where present: what `npm start` is started with on a fresh machine. */
const olderNode = ['/usr/bin/node', process.execPath].find((bin) => fs.existsSync(bin))!;

describe('the project Node', () => {
  it('is what .nvmrc pins, and engines, .nvmrc and the running Node agree on 24 LTS or newer', () => {
    const pinned = fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim();
    const engines = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node as string;
    const minimum = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(engines);
    expect(minimum, `engines.node ${engines}`).not.toBeNull();
    const [pMajor, pMinor] = pinned.split('.').map(Number);
    expect(Number(minimum![1])).toBeGreaterThanOrEqual(24);
    expect(pMajor! > Number(minimum![1]) || (pMajor === Number(minimum![1]) && pMinor! >= Number(minimum![2]))).toBe(true);
    expect(major(process.version)).toBeGreaterThanOrEqual(24);
  });

  it('a script started by an older Node re-runs itself on the project Node, with its arguments, environment and exit code', () => {
    const result = spawnSync(olderNode, [fixture, '3', 'two words'], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } });
    expect(result.status, result.stderr).toBe(3);
    const seen = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
      version: string;
      execPath: string;
      pathHead: string;
      nodedir?: string;
      args: string[];
    };
    expect(major(seen.version)).toBeGreaterThanOrEqual(24);
    expect(seen.args).toEqual(['3', 'two words']);
    // npm, npx and `#!/usr/bin/env node` tools started from there run on the same Node…
    expect(seen.pathHead).toBe(path.dirname(seen.execPath));
    // …and node-gyp builds against its headers, whatever a machine-wide npmrc says
    if (seen.nodedir !== undefined) expect(fs.existsSync(path.join(seen.nodedir, 'include', 'node', 'node.h'))).toBe(true);
    if (major(spawnSync(olderNode, ['--version'], { encoding: 'utf8' }).stdout) < 24)
      expect(seen.nodedir).toBe(path.dirname(path.dirname(seen.execPath)));
  });
});
