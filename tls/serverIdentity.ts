import os from 'node:os';
import type { ServerIdentity } from './LocalCertificateAuthorityTypes.js';

/**
 * The names and addresses this machine answers on: its host name, localhost, every interface address
 * (link-local IPv6 excepted: browsers cannot use it in a URL), plus names an operator adds (TLS_HOSTNAMES).
 */
export function serverIdentity(
  extraHostNames: string[] = [],
  interfaces = os.networkInterfaces(),
  hostName = os.hostname(),
): ServerIdentity {
  const addresses = new Set(['127.0.0.1', '::1']);
  for (const entries of Object.values(interfaces))
    for (const entry of entries ?? []) if (!(entry.family === 'IPv6' && entry.address.startsWith('fe80'))) addresses.add(entry.address);
  return { hostNames: [...new Set([hostName, 'localhost', ...extraHostNames])], addresses: [...addresses] };
}
