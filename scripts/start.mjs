// `npm start`: set up what is missing, then run the hub with SQLite and the sample data.
import { spawn } from 'node:child_process';
import { root } from './lib.mjs';
import { useProjectNode } from './node-runtime.mjs';
import { serverEntry } from './server-build.mjs';
import { setup } from './setup.mjs';

await useProjectNode();

// sample mode unless the operator says otherwise: the hub itself defaults to real use
const env = { SEED_SAMPLE_DATA: 'true', ...process.env, ...(await setup('start')) };
const server = spawn(process.execPath, ['--enable-source-maps', serverEntry], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
