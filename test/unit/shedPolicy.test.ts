import { describe, expect, it } from 'vitest';
import { ShedPolicy } from '../../media-server/index.js';

/** Feeds the readings one by one; returns the steps after each. */
const stepsAfter = (policy: ShedPolicy, readings: number[]) =>
  readings.map((percent) => {
    policy.observe(percent);
    return policy.steps.join('+') || '-';
  });

describe('when the hub gives something up under load (ShedPolicy)', () => {
  it('gives up the walls after three readings in a row at the high mark, then the thumbnails after three more; never more', () => {
    const policy = new ShedPolicy({ highPercent: 85, lowPercent: 60 });
    expect(stepsAfter(policy, [90, 95, 100, 100, 100, 99, 100, 100, 100, 100])).toEqual([
      '-',
      '-',
      'walls',
      'walls',
      'walls',
      'walls+thumbnails',
      'walls+thumbnails',
      'walls+thumbnails',
      'walls+thumbnails',
      'walls+thumbnails',
    ]);
  });

  it('takes no step on a spike: a reading below the mark starts the count again', () => {
    const policy = new ShedPolicy({ highPercent: 85, lowPercent: 60 });
    expect(stepsAfter(policy, [100, 100, 70, 100, 100, 84, 100])).toEqual(['-', '-', '-', '-', '-', '-', '-']);
  });

  it('holds between the marks, and takes back one step at a time after ten readings in a row below the low mark', () => {
    const policy = new ShedPolicy({ highPercent: 85, lowPercent: 60 });
    stepsAfter(policy, [100, 100, 100, 100, 100, 100]);
    expect(policy.steps).toEqual(['walls', 'thumbnails']);
    // the relief itself brings the load down between the marks: nothing is taken back there
    expect(stepsAfter(policy, Array(30).fill(70)).at(-1)).toBe('walls+thumbnails');
    const falling = stepsAfter(policy, [...Array(9).fill(20), 20, ...Array(9).fill(20), 20]);
    expect(falling[8]).toBe('walls+thumbnails');
    expect(falling[9]).toBe('walls');
    expect(falling[18]).toBe('walls');
    expect(falling[19]).toBe('-');
    // a reading at or above the low mark on the way down starts the count again
    stepsAfter(policy, [100, 100, 100]);
    expect(stepsAfter(policy, [...Array(9).fill(20), 65, ...Array(9).fill(20)]).at(-1)).toBe('walls');
  });

  it('refuses a low mark above the high mark', () => {
    expect(() => new ShedPolicy({ highPercent: 50, lowPercent: 60 })).toThrow(RangeError);
  });
});
