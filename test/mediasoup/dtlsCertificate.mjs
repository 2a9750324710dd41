// test-Worker.js loads a DTLS certificate from test/data/, which the npm package does not ship:
// globalSetup makes a self-signed one there with openssl, globalTeardown removes it again.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dataDir = path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'mediasoup', 'node', 'lib', 'test', 'data');
export default function dtlsCertificate() {
  // jest runs globalSetup and globalTeardown in the same process: a global tells them apart
  if (globalThis.mediasoupSuiteDtlsDir) {
    fs.rmSync(globalThis.mediasoupSuiteDtlsDir, { recursive: true, force: true });
    return;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=mediasoup-test',
      '-keyout',
      path.join(dataDir, 'dtls-key.pem'),
      '-out',
      path.join(dataDir, 'dtls-cert.pem'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  globalThis.mediasoupSuiteDtlsDir = dataDir;
}
