import os from 'node:os';

const privateRanges = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./];

/**
 * The address bridge points reach this server on: its first non-loopback IPv4 address, a private
 * (RFC 1918) one first — what a province LAN hands out. Undefined on a machine with no network.
 */
export function detectLanAddress(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string | undefined {
  const candidates = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
  return candidates.find((address) => privateRanges.some((range) => range.test(address))) ?? candidates[0];
}
