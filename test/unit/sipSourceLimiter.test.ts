import { describe, expect, it } from 'vitest';
import { SourceLimiter } from '../../sip/SourceLimiter.js';

describe("a SIP source's share of new requests", () => {
  it('lets a burst through, then refills at its rate; each source has its own share', () => {
    const limiter = new SourceLimiter({ burst: 3, perSecond: 2 });
    const at = 1_000_000;
    const from = (address: string, now: number) => limiter.take(address, now);
    expect([1, 2, 3].map(() => from('10.0.0.9', at).allowed)).toEqual([true, true, true]);
    // over: the first refusal starts a flood (logged once), the next ones do not
    expect(from('10.0.0.9', at)).toEqual({ allowed: false, floodStarted: true });
    expect(from('10.0.0.9', at)).toEqual({ allowed: false, floodStarted: false });
    // another source is not held up by it
    expect(from('10.0.0.10', at).allowed).toBe(true);
    // half a second later: one more request's worth
    expect(from('10.0.0.9', at + 500)).toEqual({ allowed: true, floodStarted: false });
    expect(from('10.0.0.9', at + 500).allowed).toBe(false);
    // rested long enough: the whole burst again, and no more
    expect([1, 2, 3, 4].map(() => from('10.0.0.9', at + 60_000).allowed)).toEqual([true, true, true, false]);
  });

  it('remembers at most ten thousand sources: a scan from a whole subnet does not grow it without bound', () => {
    const limiter = new SourceLimiter({ burst: 1, perSecond: 1 });
    for (let i = 0; i < 12_000; i++) limiter.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1_000 + i);
    expect(limiter.size).toBe(10_000);
  });
});
