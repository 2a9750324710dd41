import fs from 'node:fs';

/** Bytes an unprivileged writer may still use on the disk under `directory` (statfs: no I/O on the disk itself). */
export function freeBytes(directory: string): number {
  const stats = fs.statfsSync(directory);
  return stats.bavail * stats.bsize;
}
