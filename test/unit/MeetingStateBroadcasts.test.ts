import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveMeeting } from '../../hub/meetings/LiveMeeting.js';
import { MeetingStateBroadcasts } from '../../hub/meetings/MeetingStateBroadcasts.js';

/** A meeting whose state is a counter the test changes. */
function meeting(id: string): LiveMeeting & { version: number } {
  return { id, version: 0 } as unknown as LiveMeeting & { version: number };
}

describe('MeetingStateBroadcasts', () => {
  let pushed: Array<[string, number]>;
  let broadcasts: MeetingStateBroadcasts;

  beforeEach(() => {
    vi.useFakeTimers();
    pushed = [];
    broadcasts = new MeetingStateBroadcasts((live) => pushed.push([live.id, (live as LiveMeeting & { version: number }).version]), 100);
  });

  afterEach(() => {
    broadcasts.close();
    vi.useRealTimers();
  });

  it('pushes a single change at once', () => {
    const live = meeting('m1');
    broadcasts.changed(live);
    expect(pushed).toEqual([['m1', 0]]);
  });

  it('pushes a storm of changes at most once per interval, the last one carrying the latest state', () => {
    const live = meeting('m1');
    for (let i = 1; i <= 30; i++) {
      live.version = i;
      broadcasts.changed(live);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(100);
    // 300 ms of changes: the first at once, then one per 100 ms, and the trailing one with version 30
    expect(pushed.length).toBeLessThanOrEqual(5);
    expect(pushed.at(-1)).toEqual(['m1', 30]);
  });

  it('keeps meetings apart, and flushes at once', () => {
    const a = meeting('a');
    const b = meeting('b');
    broadcasts.changed(a);
    broadcasts.changed(b);
    a.version = 1;
    broadcasts.changed(a);
    expect(pushed).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    broadcasts.flush(a);
    expect(pushed.at(-1)).toEqual(['a', 1]);
    vi.advanceTimersByTime(200);
    // the flush took the pending push's place
    expect(pushed.filter(([id]) => id === 'a')).toHaveLength(2);
  });
});
