import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../prisma/index.js';
import { buildServer, serverBuildStale, serverEntry, serverSources } from '../../scripts/server-build.mjs';
import { testTempDir } from '../support/tempDirs.js';

/**
 * `npm start` and `npm test` rebuild dist/ when a server source changed (scripts/server-build.mjs): the
 * sources are what tsconfig.build.json compiles, so a change in any server folder, new ones included,
 * reaches the built hub. Checked on a scratch copy of the project, so this tree's dist/ is left alone.
 */
describe('the server build', () => {
  it('sees a change in every top-level server folder and rebuilds dist/ with it', { timeout: 300_000 }, () => {
    const scratch = testTempDir('hub-build-');
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: projectRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      if (!fs.existsSync(path.join(projectRoot, file))) continue;
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.copyFileSync(path.join(projectRoot, file), path.join(scratch, file));
    }
    // what set-up makes and git does not track: the dependencies and the generated Prisma clients
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(scratch, 'node_modules'));
    fs.cpSync(path.join(projectRoot, 'prisma', 'generated'), path.join(scratch, 'prisma', 'generated'), { recursive: true });

    // nothing built yet
    expect(serverBuildStale(scratch)).toBe(true);

    // one source of each top-level folder the build compiles: the folders a hand-kept list once left out among them
    const folders = new Map<string, string>();
    for (const file of serverSources(scratch)) {
      const relative = path.relative(scratch, file);
      const [top] = relative.split(path.sep);
      if (
        relative.includes(path.sep) &&
        !relative.includes(`${path.sep}generated${path.sep}`) &&
        relative.endsWith('.ts') &&
        !relative.endsWith('.d.ts')
      ) {
        if (!folders.has(top!)) folders.set(top!, relative);
      }
    }
    expect([...folders.keys()]).toEqual(expect.arrayContaining(['hub', 'program', 'cluster', 'observability', 'config', 'tls', 'turn']));
    // as if built a minute ago (one real build, at the end, is all this needs): then each folder's source is edited
    const entry = path.join(scratch, serverEntry);
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.writeFileSync(entry, '');
    const earlier = new Date(Date.now() - 60_000);
    for (const source of serverSources(scratch))
      fs.utimesSync(source, new Date(earlier.getTime() - 60_000), new Date(earlier.getTime() - 60_000));
    fs.utimesSync(entry, earlier, earlier);
    expect(serverBuildStale(scratch)).toBe(false);
    for (const [folder, source] of folders) {
      fs.utimesSync(entry, earlier, earlier);
      fs.appendFileSync(path.join(scratch, source), `\nexport const editedIn_${folder.replaceAll('-', '_')} = '${folder}';\n`);
      expect(serverBuildStale(scratch), source).toBe(true);
    }
    expect(buildServer(scratch)).toBe(true);
    expect(serverBuildStale(scratch)).toBe(false);
    expect(buildServer(scratch)).toBe(false);
    for (const [folder, source] of folders) {
      const built = fs.readFileSync(path.join(scratch, 'dist', source.replace(/\.ts$/, '.js')), 'utf8');
      expect(built, source).toContain(`editedIn_${folder.replaceAll('-', '_')}`);
    }
  });
});
