import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FreeSpaceWatch } from '../../storage/index.js';
import { testTempDir } from '../support/tempDirs.js';

describe('FreeSpaceWatch', () => {
  it('says whether the disk has less free than the minimum, and survives its folder being removed', () => {
    const directory = path.join(testTempDir('hub-space-'), 'meeting-recordings');
    const roomy = new FreeSpaceWatch(directory, { minFreeBytes: 1, checkEveryMs: 60_000 });
    const full = new FreeSpaceWatch(directory, { minFreeBytes: Number.MAX_SAFE_INTEGER, checkEveryMs: 60_000 });
    try {
      expect(roomy.full).toBe(false);
      expect(full.full).toBe(true);
      // an operator cleaning up removes the whole folder: the next read makes it again instead of throwing
      fs.rmSync(directory, { recursive: true });
      expect(roomy.check()).toBe(false);
      expect(fs.existsSync(directory)).toBe(true);
    } finally {
      roomy.close();
      full.close();
    }
  });
});
