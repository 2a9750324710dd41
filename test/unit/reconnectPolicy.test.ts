import { describe, expect, it } from 'vitest';
import { ReconnectPolicy } from '../../client/src/meeting/ReconnectPolicy.js';

describe('the page’s reconnect policy', () => {
  it('retries at once, then after 0.3 s, then slower, and gives up after the tenth attempt', () => {
    const policy = new ReconnectPolicy({ random: () => 0 });
    expect(Array.from({ length: 11 }, (_, attempt) => policy.nextRetryDelayMs(attempt))).toEqual([
      0,
      300,
      1200,
      2700,
      4800,
      7000,
      7000,
      7000,
      7000,
      7000,
      null,
    ]);
  });

  it('spreads the later retries of many sites over up to a second, never the first two', () => {
    const delays = (random: number) => {
      const policy = new ReconnectPolicy({ random: () => random });
      return Array.from({ length: 10 }, (_, attempt) => policy.nextRetryDelayMs(attempt)!);
    };
    const [least, most] = [delays(0), delays(0.999)];
    expect(most.slice(0, 2)).toEqual(least.slice(0, 2));
    for (let attempt = 2; attempt < 10; attempt++) expect(most[attempt]! - least[attempt]!).toBe(999);
  });
});
