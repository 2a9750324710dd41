import { describe, expect, it } from 'vitest';
import { SiteQualityReports } from '../../client/src/meeting/SiteQualityReports.js';
import { LiveMeeting } from '../../hub/meetings/LiveMeeting.js';
import type { MeetingRecord } from '../../hub/meetings/MeetingStore.js';

const sites = [
  { code: 'UBND-TINH', name: 'UBND tỉnh', level: 'PROVINCE' as const },
  { code: 'SO-NV', name: 'Sở Nội vụ', level: 'PROVINCE' as const },
  { code: 'XA-01', name: 'Xã 01', level: 'COMMUNE' as const },
];
const record = (): MeetingRecord => ({
  id: 'hop-hai-nut',
  title: 'Họp hai máy chủ',
  hostLevel: 'PROVINCIAL',
  status: 'LIVE',
  scheduledStart: '2026-12-03T01:00:00.000Z',
  scheduledEnd: '2026-12-03T03:00:00.000Z',
  startedAt: '2026-12-03T01:00:00.000Z',
  endedAt: null,
  locked: false,
  chair: { username: 'chu-toa', displayName: 'Chủ tịch UBND tỉnh' },
  hostBridgePointCode: 'UBND-TINH',
  invited: sites,
  callRoomSystemsAtStart: false,
  chairId: 1,
  invitedIds: new Map(sites.map((s, i) => [s.code, i + 1])),
  controlState: null,
});

describe('a meeting across nodes: the copy of a node that is not its home', () => {
  it('takes the home’s state but keeps the presences of its own sites, and tells the home of those only', () => {
    const home = new LiveMeeting(record(), new Set(), null);
    home.setPresence('UBND-TINH', 'connected');
    home.setPresence('SO-NV', 'waiting');
    home.mutedByChair.add('SO-NV');
    home.raiseHand('XA-01', true);
    home.removed.add('XA-01');
    home.setPresence('XA-01', 'removed');
    home.locked = true;

    const copy = new LiveMeeting(record(), new Set(), null);
    const reported: Array<[string, string | null]> = [];
    copy.onPresence = (code, presence) => reported.push([code, presence]);
    // SO-NV is connected here; the home has not heard yet
    copy.setPresence('SO-NV', 'connected');
    copy.applyState(home.state(), new Set(['SO-NV']));

    expect(reported).toEqual([['SO-NV', 'connected']]);
    expect(copy.presence('SO-NV')).toBe('connected');
    expect(copy.presence('UBND-TINH')).toBe('connected');
    expect(copy.presence('XA-01')).toBe('removed');
    expect(copy.removed.has('XA-01')).toBe(true);
    expect([...copy.mutedByChair]).toEqual(['SO-NV']);
    expect(copy.locked).toBe(true);
    // the chair lifts the mute at the home: the copy follows
    home.mutedByChair.delete('SO-NV');
    copy.applyState(home.state(), new Set(['SO-NV']));
    expect([...copy.mutedByChair]).toEqual([]);
  });
});

describe("the chair's uplink quality, reported by each node for its own sites", () => {
  it('merges the nodes’ reports and drops a site no node reported for 10 s', () => {
    const reports = new SiteQualityReports();
    const node1 = [{ code: 'UBND-TINH', lossPercent: 0, bitrateKbps: 900 }];
    const node2 = [{ code: 'SO-NV', lossPercent: 2, bitrateKbps: 700 }];
    reports.reported(node1, 0);
    expect(reports.reported(node2, 1000).map((s) => s.code)).toEqual(['UBND-TINH', 'SO-NV']);
    // node 2 went: its site is dropped once its report is stale
    expect(reports.reported(node1, 9000).map((s) => s.code)).toEqual(['UBND-TINH', 'SO-NV']);
    expect(reports.reported(node1, 12_000).map((s) => s.code)).toEqual(['UBND-TINH']);
  });
});
