import { describe, expect, it } from 'vitest';
import { FrameHealth } from '../../camera-gateway/FrameHealth.js';

const options = { offlineAfterMs: 3000, keyFrameTimeoutMs: 10_000 };
const gop = 1000;
const ticks = 90_000;

/** A pull that started at 0 and received bytes and a key frame every second until `until`. */
function healthyUntil(until: number, step = (i: number) => i * ticks): FrameHealth {
  const health = new FrameHealth(options);
  health.restart(0);
  for (let at = 0, i = 0; at <= until; at += gop, i++) {
    health.bytes((i + 1) * 1000, at);
    health.keyFrame(step(i) >>> 0, at);
  }
  return health;
}

describe('FrameHealth: is the forwarded picture live?', () => {
  it('waits for the first key frame of a pull, then says live (not yet judged), then judged live', () => {
    const health = new FrameHealth(options);
    health.restart(0);
    health.bytes(500, 200);
    expect(health.verdict(300)).toEqual({ state: 'WAITING' });
    health.keyFrame(1234, 400);
    expect(health.verdict(500)).toEqual({ state: 'LIVE', judged: false });
    expect(healthyUntil(5000).verdict(5200)).toEqual({ state: 'LIVE', judged: true });
  });

  it('is silent when no bytes arrive for offlineAfterMs, also for a pull that never delivered', () => {
    expect(healthyUntil(5000).verdict(8100)).toMatchObject({ state: 'SILENT' });
    const never = new FrameHealth(options);
    never.restart(0);
    expect(never.verdict(2900)).toEqual({ state: 'WAITING' });
    expect(never.verdict(3100)).toMatchObject({ state: 'SILENT', detail: 'no video received' });
  });

  it('says frozen when packets and key frames keep coming but their timestamps stand still', () => {
    // Live for 5 s, then the same timestamp on every key frame (bytes still growing).
    const health = healthyUntil(5000, (i) => Math.min(i, 5) * ticks);
    for (let at = 6000; at <= 8000; at += gop) {
      health.bytes(at, at);
      health.keyFrame(5 * ticks, at);
    }
    expect(health.verdict(8100)).toMatchObject({ state: 'FROZEN', detail: expect.stringMatching(/picture frozen/) });
    // The repeats of one key frame's packets within a few milliseconds are one picture, not a freeze.
    const repeats = healthyUntil(5000);
    repeats.keyFrame(5 * ticks, 5010);
    expect(repeats.verdict(5100)).toEqual({ state: 'LIVE', judged: true });
  });

  it('says frozen when the timestamps crawl (a muxer nudging repeated timestamps by one tick)', () => {
    const health = healthyUntil(5000, (i) => (i <= 5 ? i * ticks : 5 * ticks + (i - 5) * 25));
    for (let at = 6000, i = 6; at <= 8000; at += gop, i++) {
      health.bytes(at, at);
      health.keyFrame(5 * ticks + (i - 5) * 25, at);
    }
    expect(health.verdict(8100)).toMatchObject({ state: 'FROZEN' });
  });

  it('counts the 32-bit timestamp wrap as advancing and a jump backwards as not', () => {
    const base = 0xffffffff - 2 * ticks;
    expect(healthyUntil(5000, (i) => base + i * ticks).verdict(5100)).toEqual({ state: 'LIVE', judged: true });
    expect(healthyUntil(5000, (i) => 10 * ticks - i * ticks).verdict(5100)).toMatchObject({ state: 'FROZEN' });
  });

  it('says no key frame when packets come but no key frame for keyFrameTimeoutMs (no new viewer could start)', () => {
    const health = healthyUntil(2000);
    for (let at = 3000; at <= 13_000; at += gop) health.bytes(at, at);
    expect(health.verdict(12_500)).toMatchObject({ state: 'NO_KEY_FRAME', detail: expect.stringMatching(/no key frame/) });
    const none = new FrameHealth(options);
    none.restart(0);
    for (let at = 0; at <= 11_000; at += gop) none.bytes(at + 1, at);
    expect(none.verdict(11_000)).toMatchObject({ state: 'NO_KEY_FRAME' });
  });

  it('judges each pull on its own: restart forgets the previous one', () => {
    const health = healthyUntil(5000);
    health.restart(6000);
    expect(health.verdict(6500)).toEqual({ state: 'WAITING' });
  });
});
