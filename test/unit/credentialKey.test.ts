import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialCipher } from '../../camera-gateway/index.js';
import { testTempDir } from '../support/tempDirs.js';

describe('the camera-credentials key file', () => {
  it('is created readable by the hub’s user only (0600), and reused', () => {
    const file = path.join(testTempDir('camera-key-'), 'camera-credentials.key');
    const sealed = CredentialCipher.fromKeyOrFile(undefined, file).encrypt('mat-khau-camera');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(CredentialCipher.fromKeyOrFile(undefined, file).decrypt(sealed)).toBe('mat-khau-camera');
  });
});
