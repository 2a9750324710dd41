// `npm run dev`: the server from source under `tsx watch` (restarts when a file it imports changes) and
// the client from Vite's dev server (hot reload), which proxies /api and /socket.io to the server.
//   HUB port: PORT (3000); the page: http://localhost:DEV_CLIENT_PORT (5173)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { log, root } from './lib.mjs';
import { useProjectNode } from './node-runtime.mjs';
import { serverEntrySource } from './server-build.mjs';
import { setup } from './setup.mjs';

await useProjectNode();

const env = { ...process.env, ...(await setup('dev')) };
env.PORT ||= '3000';
// development runs on the sample data (the hub itself defaults to real use)
env.SEED_SAMPLE_DATA ||= 'true';
env.DEV_CLIENT_PORT ||= '5173';
// Vite serves the page on localhost (a secure context) and proxies to the hub over plain HTTP
env.TLS ||= 'off';
// nor relays: everything is on this machine
env.TURN ||= 'off';
// the dev server reaches the hub here (vite.config.ts reads it)
env.HUB_DEV_TARGET = `http://127.0.0.1:${env.PORT}`;

// the binaries themselves (not npx), so that stopping them reaches the processes that matter
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const children = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', '--exclude', 'client/**', serverEntrySource], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
  spawn(bin('vite'), ['--config', 'client/vite.config.ts', '--port', env.DEV_CLIENT_PORT, '--strictPort'], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
];
log(`development: open http://localhost:${env.DEV_CLIENT_PORT} (the hub itself on port ${env.PORT})`);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
// one of the two gone means the loop is broken: stop the other rather than leave it running alone
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
