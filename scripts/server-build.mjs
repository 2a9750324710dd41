// The server's build: one entry, and the sources derived from what tsconfig.build.json compiles (its
// `include` less its `exclude`, as tsc reads them), so a new server folder is built and watched
// without a list kept by hand. TypeScript is loaded only when a check runs: it is an npm dependency,
// and the entry's path is needed before `npm ci` has run.
//   node scripts/server-build.mjs   rebuilds dist/ when a server source is newer than the built entry
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, root, run } from './lib.mjs';

/** The hub's entry, as source (`npm run dev` runs it under tsx) and as built (`npm start`, the tests, the benches). */
export const serverEntrySource = 'hub/main.ts';
export const serverEntry = path.join('dist', serverEntrySource.replace(/\.ts$/, '.js'));
const buildConfig = 'tsconfig.build.json';

/** Every file tsc compiles for the server, and the configurations that shape its output. */
export function serverSources(projectRoot = root) {
  const ts = createRequire(path.join(projectRoot, 'package.json'))('typescript');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(projectRoot, buildConfig),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  return [...parsed.fileNames, path.join(projectRoot, buildConfig), path.join(projectRoot, 'tsconfig.json')];
}

/** Whether a source is newer than the built entry (or nothing is built). */
export function serverBuildStale(projectRoot = root) {
  const built = fs.statSync(path.join(projectRoot, serverEntry), { throwIfNoEntry: false });
  if (!built) return true;
  return serverSources(projectRoot).some((file) => (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > built.mtimeMs);
}

export function buildServer(projectRoot = root) {
  if (!serverBuildStale(projectRoot)) return false;
  log('building the server (tsc)');
  run('npx', ['tsc', '-p', buildConfig], { cwd: projectRoot });
  // tsc leaves an output it did not need to change as it was: the entry's time says when dist/ was built
  const entry = path.join(projectRoot, serverEntry);
  const now = new Date();
  fs.utimesSync(entry, now, now);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildServer();
