import { describe, expect, it } from 'vitest';
import { HeavyExports } from '../../hub/http/HeavyExports.js';

describe('the hub’s heavy exports (clips, recording downloads)', () => {
  it('gives out at most its slots at once; a slot comes back once, however often it is released', () => {
    const exports = new HeavyExports(2);
    const first = exports.acquire()!;
    const second = exports.acquire()!;
    expect(exports.acquire()).toBeUndefined();
    first();
    first();
    const third = exports.acquire();
    expect(third).toBeDefined();
    expect(exports.acquire()).toBeUndefined();
    second();
    third!();
    expect([exports.acquire(), exports.acquire(), exports.acquire()].map((slot) => slot !== undefined)).toEqual([true, true, false]);
  });
});
