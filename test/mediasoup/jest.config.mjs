// mediasoup's own Node test-suite, as shipped in the npm package (node/lib/test), run against the
// worker the project built (MEDIASOUP_WORKER_BIN): part of `npm test`, see scripts/test.mjs.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export default {
  rootDir: path.join(root, 'node_modules', 'mediasoup', 'node', 'lib'),
  testMatch: ['<rootDir>/test/test-*.js'],
  // the suite lives inside node_modules, which jest skips by default
  testPathIgnorePatterns: [],
  haste: { retainAllFiles: true },
  testEnvironment: 'node',
  globalSetup: path.join(import.meta.dirname, 'dtlsCertificate.mjs'),
  globalTeardown: path.join(import.meta.dirname, 'dtlsCertificate.mjs'),
};
