import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '../../shared/meetings.js';
import { nextEvent, request, startTestHub, type TestHub, type TestSocket } from './helpers.js';

/** The chair sits at the host site; the host site's own bridge-point account may join the same meeting too. */
describe('the chair’s seat and the host site’s account', () => {
  let hub: TestHub;
  let meetingId: string;
  const closedEvents: string[] = [];
  const connect = async (username: string) => {
    const socket = await hub.connect(username);
    socket.on('meeting:closed', ({ reason }) => closedEvents.push(`${username}:${reason}`));
    return socket;
  };
  const hostPresence = async (observer: TestSocket, expected: string) =>
    nextEvent(observer, 'meeting:state', (state: MeetingState) => state.sites.find((s) => s.code === 'UBND-TINH')?.presence === expected);
  const openAttendance = () =>
    hub.database.prisma.attendanceSession.findMany({ where: { meetingId, bridgePoint: { code: 'UBND-TINH' } }, orderBy: { id: 'asc' } });

  beforeAll(async () => {
    hub = await startTestHub();
    meetingId = (await hub.createMeeting(['SO-NV'])).id;
    await hub.api('POST', `/api/meetings/${meetingId}/start`, { token: await hub.login('chu-toa') });
  });
  afterAll(async () => hub.close());

  it('both are present, neither drops the other; the site is present while either is there, as one attendance', async () => {
    const chair = await connect('chu-toa');
    expect((await request(chair, 'meeting:join', { meetingId })).data).toMatchObject({
      admitted: true,
      isChair: true,
      siteCode: 'UBND-TINH',
    });
    const observer = await connect('so-nv');
    await request(observer, 'meeting:join', { meetingId });

    const host = await connect('ubnd-tinh');
    const hostJoin = await request(host, 'meeting:join', { meetingId });
    expect(hostJoin.data).toMatchObject({ admitted: true, isChair: false, siteCode: 'UBND-TINH' });
    expect(hostJoin.data.peers.map((p: { bridgePointCode: string }) => p.bridgePointCode).sort()).toEqual(['SO-NV', 'UBND-TINH']);
    expect(chair.connected).toBe(true);
    // the chair still chairs
    expect(await request(chair, 'chair:lock', { locked: false })).toEqual({ ok: true, data: null });
    expect(closedEvents).toEqual([]);
    let rows = await openAttendance();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ leftAt: null, reconnects: 0 });

    // the host account leaves: the chair is still there, so is the site
    const stillThere = hostPresence(observer, 'connected');
    await request(host, 'meeting:leave', {});
    await stillThere;
    expect((await openAttendance())[0]!.leftAt).toBeNull();

    // and the other way round: the host account back, the chair leaves
    await request(host, 'meeting:join', { meetingId });
    await request(chair, 'meeting:leave', {});
    rows = await openAttendance();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ leftAt: null, reconnects: 0 });

    // the last of them leaves: the site has left
    const left = hostPresence(observer, 'left');
    await request(host, 'meeting:leave', {});
    await left;
    expect((await openAttendance())[0]!.leftAt).not.toBeNull();
    expect(closedEvents).toEqual([]);
  });

  it('a second connection of the same seat still replaces the first', async () => {
    const first = await connect('chu-toa');
    await request(first, 'meeting:join', { meetingId });
    const replaced = nextEvent(first, 'meeting:closed');
    const second = await connect('chu-toa');
    await request(second, 'meeting:join', { meetingId });
    expect(await replaced).toEqual({ reason: 'replaced' });
  });
});
