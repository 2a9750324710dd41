// Runs a command with MEDIASOUP_WORKER_BIN resolved (no set-up): node scripts/with-env.mjs <cmd> [args…]
import { spawnSync } from 'node:child_process';
import { root } from './lib.mjs';
import { findWorker } from './mediasoup-worker/resolve.mjs';
import { useProjectNode } from './node-runtime.mjs';

await useProjectNode();

const [command, ...args] = process.argv.slice(2);
const workerBin = findWorker();
if (!workerBin) {
  console.error('no mediasoup-worker yet: run `npm run setup` first');
  process.exit(1);
}
const result = spawnSync('npx', [command, ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MEDIASOUP_WORKER_BIN: workerBin },
});
process.exit(result.status ?? 1);
