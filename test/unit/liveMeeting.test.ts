import { describe, expect, it } from 'vitest';
import { feedCode } from '../../shared/meetings.js';
import { LiveMeeting } from '../../hub/meetings/LiveMeeting.js';
import type { MeetingRecord } from '../../hub/meetings/MeetingStore.js';

const record = (controlState: MeetingRecord['controlState']): MeetingRecord => ({
  id: 'hop-sau-khoi-dong-lai',
  title: 'Họp sau khởi động lại',
  hostLevel: 'GOVERNMENT',
  status: 'LIVE',
  scheduledStart: '2026-12-02T01:00:00.000Z',
  scheduledEnd: '2026-12-02T03:00:00.000Z',
  startedAt: '2026-12-02T01:00:00.000Z',
  endedAt: null,
  locked: false,
  chair: { username: 'chu-toa', displayName: 'Chủ tịch UBND tỉnh' },
  hostBridgePointCode: 'UBND-TINH',
  invited: [{ code: 'UBND-TINH', name: 'UBND tỉnh', level: 'PROVINCE' }],
  callRoomSystemsAtStart: false,
  chairId: 1,
  invitedIds: new Map([['UBND-TINH', 1]]),
  controlState,
});

describe('a live meeting rebuilt after a hub restart', () => {
  it("keeps the floor and the spotlight on a feed from outside, and drops codes that are no longer the meeting's", () => {
    const feed = { id: '1a2b3c4d', code: feedCode('1a2b3c4d'), name: 'Chính phủ', kind: 'whip' as const, presence: 'waiting' as const };
    const controls = { mutedByChair: [], handQueue: [], floorCode: feed.code, spotlightCode: feed.code };
    const live = new LiveMeeting(record(controls), new Set(), null, [feed]);
    expect(live.state()).toMatchObject({ floorCode: 'FEED-1A2B3C4D', spotlightCode: 'FEED-1A2B3C4D', feeds: [feed] });
    // the feed was removed meanwhile
    const without = new LiveMeeting(record(controls), new Set(), null, []);
    expect(without.state()).toMatchObject({ floorCode: null, spotlightCode: null, feeds: [] });
  });
});
