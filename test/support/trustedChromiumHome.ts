import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testTempDir } from './tempDirs.js';

/**
 * A HOME for Chromium whose NSS database trusts `caCertFile` for web sites (Chromium on Linux reads
 * ~/.pki/nssdb), so pages load over HTTPS as they would on a bridge-point PC that trusted the hub's CA.
 */
export function trustedChromiumHome(caCertFile: string, home = testTempDir('hub-chromium-home-')): string {
  const db = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${db}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'province-hub-ca', '-i', caCertFile]);
  return home;
}
