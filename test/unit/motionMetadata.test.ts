import { describe, expect, it } from 'vitest';
import { encodeSample, hourMs, records } from '../../camera-gateway/motion/MotionFile.js';
import { MotionMatcher, regionCells, thresholdOf } from '../../camera-gateway/motion/motionSearch.js';
import { cellCount, frameBytes, frameWidth, gridColumns } from '../../camera-gateway/motion/MotionTypes.js';
import { likeness, motionLevels, signatureOf } from '../../camera-gateway/motion/pictures.js';
import { TamperWatch } from '../../camera-gateway/motion/TamperWatch.js';
import { defaultMotionOptions } from '../../camera-gateway/motion/MotionTypes.js';

const hour = Date.UTC(2026, 11, 8, 2);
const levels = (moving: Record<number, number>) => {
  const all = new Uint8Array(cellCount);
  for (const [cell, level] of Object.entries(moving)) all[Number(cell)] = level;
  return all;
};
const store = (samples: Array<{ at: number; moving: Record<number, number> }>) =>
  Buffer.concat(samples.flatMap((s) => encodeSample({ at: s.at, spanMs: 1000, levels: levels(s.moving) }, 3) ?? []));

describe('motion metadata', () => {
  it('stores only what moved above the noise, and reads back every whole record of a file cut short', () => {
    expect(encodeSample({ at: hour + 5, spanMs: 1000, levels: levels({ 3: 2 }) }, 3)).toBeNull();
    const file = store([
      { at: hour + 1000, moving: { 0: 9, 143: 200 } },
      { at: hour + 2000, moving: { 17: 40 } },
    ]);
    // 4 + 2 + 18 bytes a record, and one byte per moving cell
    expect(file.length).toBe(24 + 2 + 24 + 1);
    expect([...records(file, hour)].map((r) => r.at)).toEqual([hour + 1000, hour + 2000]);
    expect([...records(file.subarray(0, file.length - 1), hour)].map((r) => r.at)).toEqual([hour + 1000]);
  });

  it('finds the cells a region covers, even a region smaller than a cell', () => {
    expect(regionCells({ x: 0, y: 0, width: 1, height: 1 })).toHaveLength(cellCount);
    expect(regionCells({ x: 0, y: 0, width: 2 / 16, height: 1 / 9 })).toEqual([0, 1]);
    expect(regionCells({ x: 0.51, y: 0.51, width: 0.001, height: 0.001 })).toEqual([4 * gridColumns + 8]);
  });

  it('joins moments of motion into intervals, by region, sensitivity and area', () => {
    const file = store([
      { at: hour + 10_000, moving: { 0: 50, 1: 50 } },
      { at: hour + 11_000, moving: { 0: 50 } },
      // 10 s later: another interval
      { at: hour + 21_000, moving: { 1: 16 } },
      // only outside the region
      { at: hour + 30_000, moving: { 100: 80 } },
    ]);
    const search = (extra: Partial<ConstructorParameters<typeof MotionMatcher>[0]>) => {
      const matcher = new MotionMatcher({
        from: new Date(hour),
        to: new Date(hour + hourMs),
        region: { x: 0, y: 0, width: 2 / 16, height: 1 / 9 },
        sensitivity: 6,
        minArea: 1,
        ...extra,
      });
      matcher.scan(file, hour);
      return matcher.intervals.map((i) => [i.start - hour, i.end - hour, i.peak]);
    };
    expect(search({})).toEqual([
      [9000, 11_000, 100],
      [20_000, 21_000, 50],
    ]);
    // a change of 16 counts at sensitivity 6, not at 5
    expect(thresholdOf(6)).toBeLessThanOrEqual(16);
    expect(thresholdOf(5)).toBeGreaterThan(16);
    expect(search({ sensitivity: 5 })).toEqual([[9000, 11_000, 100]]);
    expect(search({ minArea: 100 })).toEqual([[9000, 10_000, 100]]);
    expect(search({ from: new Date(hour + 10_500), to: new Date(hour + 20_500) })).toEqual([
      [10_500, 11_000, 50],
      [20_000, 20_500, 50],
    ]);
  });
});

describe('pictures and tamper', () => {
  const picture = (pixel: (x: number, y: number) => number) => {
    const frame = new Uint8Array(frameBytes);
    for (let i = 0; i < frameBytes; i++) frame[i] = pixel(i % frameWidth, Math.floor(i / frameWidth));
    return frame;
  };
  const counter = picture((x, y) => (x % 16 < 8 ? 60 : 140) + (y > 40 ? 50 : 0));
  const flat = picture(() => 28);
  const turned = picture((x, y) => (y % 12 < 6 ? 200 : 90) - (x > 64 ? 60 : 0));

  it('measures change per cell, and layout alike under other lighting but not when turned', () => {
    const moved = Uint8Array.from(counter);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) moved[y * frameWidth + x] = 255;
    const change = motionLevels(counter, moved);
    expect(change[0]).toBeGreaterThan(100);
    expect([...change.subarray(1)].every((l) => l === 0)).toBe(true);
    const brighter = picture((x, y) => 30 + (x % 16 < 8 ? 60 : 140) + (y > 40 ? 50 : 0));
    expect(likeness(signatureOf(counter).cellMeans, signatureOf(brighter).cellMeans)).toBeGreaterThan(0.95);
    expect(likeness(signatureOf(counter).cellMeans, signatureOf(turned).cellMeans)).toBeLessThan(0.5);
    expect(signatureOf(flat).detail).toBe(0);
  });

  it('raises a tamper only once it holds, and clears it once the picture looks right for a while', () => {
    const watch = new TamperWatch(defaultMotionOptions.tamper);
    const { raiseAfterMs, clearAfterMs } = defaultMotionOptions.tamper;
    let at = 0;
    const see = (frame: Uint8Array) => watch.observe(signatureOf(frame), (at += 1000));
    see(counter);
    // someone's hand over the lens for a moment: nothing
    see(flat);
    see(counter);
    expect(watch.raised).toBeNull();
    const changes: Array<string | null> = [];
    for (let i = 0; i <= raiseAfterMs / 1000 + 1; i++) if (see(flat)) changes.push(watch.raised);
    for (let i = 0; i <= clearAfterMs / 1000 + 1; i++) if (see(counter)) changes.push(watch.raised);
    for (let i = 0; i <= raiseAfterMs / 1000 + 1; i++) if (see(turned)) changes.push(watch.raised);
    watch.relearn();
    for (let i = 0; i <= clearAfterMs / 1000 + 1; i++) if (see(turned)) changes.push(watch.raised);
    expect(changes).toEqual(['COVERED', null, 'MOVED', null]);
  });
});
