import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '../../shared/meetings.js';
import {
  joinAndProduce,
  nextEvent,
  opusParameters,
  request,
  startTestHub,
  testProvider,
  type TestHub,
  type TestSocket,
} from './helpers.js';

/** Joins and starts sending a microphone (RTP parameters only: the SFU's state is what is checked). */
const joinWithMicrophone = (socket: TestSocket, meetingId: string, ssrc: number) =>
  joinAndProduce(socket, meetingId, 'microphone', opusParameters(ssrc));

const siteOf = (state: MeetingState, code: string) => state.sites.find((s) => s.code === code)!;

describe(`chair controls, lobby, roll call and attendance (${testProvider})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  const start = async (meetingId: string) =>
    expect((await hub.api('POST', `/api/meetings/${meetingId}/start`, { token: await hub.login('chu-toa') })).status).toBe(200);

  it('keeps sites in the lobby until the chair starts, then admits them', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const site = await hub.connect('so-nv');
    const waiting = await request(site, 'meeting:join', { meetingId: meeting.id });
    expect(waiting.data).toMatchObject({ admitted: false, meeting: { status: 'SCHEDULED' } });
    expect(siteOf(waiting.data.meeting, 'SO-NV').presence).toBe('waiting');
    const live = nextEvent(site, 'meeting:state', (s) => s.status === 'LIVE');
    await start(meeting.id);
    await live;
    const admitted = await request(site, 'meeting:join', { meetingId: meeting.id });
    expect(admitted.data).toMatchObject({ admitted: true, meeting: { status: 'LIVE' } });
    expect(siteOf(admitted.data.meeting, 'SO-NV').presence).toBe('connected');
    const rows = await hub.database.prisma.attendanceSession.findMany({ where: { meetingId: meeting.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.leftAt).toBeNull();
  });

  it('mutes a site in the SFU so it cannot unmute itself; unmutes; mute all spares the host', async () => {
    const meeting = await hub.createMeeting(['SO-TC', 'XA-03']);
    await start(meeting.id);
    const chair = await hub.connect('chu-toa');
    const site = await hub.connect('so-tc');
    const other = await hub.connect('xa-03');
    const host = await joinWithMicrophone(chair, meeting.id, 1001);
    const target = await joinWithMicrophone(site, meeting.id, 1002);
    await joinWithMicrophone(other, meeting.id, 1003);
    const producerOf = async (peerId: string, producerId: string) =>
      (await hub.media.existingRoom(meeting.id))!.peer(peerId).producer(producerId);

    const told = nextEvent(other, 'producer:paused', (p) => p.producerId === target.producerId);
    const state = nextEvent(site, 'meeting:state', (s) => siteOf(s, 'SO-TC').mutedByChair);
    expect(await request(chair, 'chair:muteSite', { bridgePointCode: 'SO-TC', muted: true })).toEqual({ ok: true, data: null });
    await Promise.all([told, state]);
    expect((await producerOf(target.peerId, target.producerId)).paused).toBe(true);
    expect(await request(site, 'producer:resume', { producerId: target.producerId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await producerOf(target.peerId, target.producerId)).paused).toBe(true);

    // A site may not use the chair's controls.
    expect(await request(site, 'chair:muteSite', { bridgePointCode: 'XA-03', muted: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(chair, 'chair:muteSite', { bridgePointCode: 'SO-YT', muted: true })).toMatchObject({
      ok: false,
      error: { code: 'NOT_INVITED' },
    });

    expect(await request(chair, 'chair:muteSite', { bridgePointCode: 'SO-TC', muted: false })).toEqual({ ok: true, data: null });
    expect((await producerOf(target.peerId, target.producerId)).paused).toBe(false);

    expect(await request(chair, 'chair:muteAll', {})).toEqual({ ok: true, data: { muted: 2 } });
    expect((await producerOf(target.peerId, target.producerId)).paused).toBe(true);
    expect((await producerOf(host.peerId, host.producerId)).paused).toBe(false);

    // Giving the floor opens the site's microphone and takes its hand down.
    expect(await request(site, 'hand:raise', { raised: true })).toEqual({ ok: true, data: null });
    const floor = nextEvent(other, 'meeting:state', (s) => s.floorCode === 'SO-TC');
    expect(await request(chair, 'chair:giveFloor', { bridgePointCode: 'SO-TC' })).toEqual({ ok: true, data: null });
    const afterFloor = await floor;
    expect(afterFloor.handQueue).toEqual([]);
    expect(siteOf(afterFloor, 'SO-TC').mutedByChair).toBe(false);
    expect((await producerOf(target.peerId, target.producerId)).paused).toBe(false);

    const actions = (await hub.api('GET', `/api/meetings/${meeting.id}/actions`, { token: await hub.login('chu-toa') })).body as Array<{
      action: string;
      targetCode: string | null;
    }>;
    expect(actions.map((a) => `${a.action}:${a.targetCode ?? ''}`)).toEqual([
      'start:',
      'mute:SO-TC',
      'unmute:SO-TC',
      'muteAll:',
      'giveFloor:SO-TC',
    ]);
  });

  it('keeps a muted site muted when it reconnects', async () => {
    const meeting = await hub.createMeeting(['SO-XD']);
    await start(meeting.id);
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    await joinWithMicrophone(await hub.connect('so-xd'), meeting.id, 2001);
    await request(chair, 'chair:muteSite', { bridgePointCode: 'SO-XD', muted: true });
    const again = await joinWithMicrophone(await hub.connect('so-xd'), meeting.id, 2002);
    expect((await hub.media.existingRoom(meeting.id))!.peer(again.peerId).producer(again.producerId).paused).toBe(true);
  });

  it('spotlights, queues raised hands in order, locks, and removes a site for good', async () => {
    const meeting = await hub.createMeeting(['SO-KHCN', 'SO-GDDT', 'XA-07']);
    await start(meeting.id);
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const a = await hub.connect('so-khcn');
    const b = await hub.connect('so-gddt');
    await request(a, 'meeting:join', { meetingId: meeting.id });
    await request(b, 'meeting:join', { meetingId: meeting.id });

    await request(b, 'hand:raise', { raised: true });
    const queued = nextEvent(chair, 'meeting:state', (s) => s.handQueue.length === 2);
    await request(a, 'hand:raise', { raised: true });
    expect((await queued).handQueue).toEqual(['SO-GDDT', 'SO-KHCN']);

    const spot = nextEvent(a, 'meeting:state', (s) => s.spotlightCode === 'SO-GDDT');
    expect(await request(chair, 'chair:spotlight', { bridgePointCode: 'SO-GDDT' })).toEqual({ ok: true, data: null });
    await spot;

    expect(await request(chair, 'chair:lock', { locked: true })).toEqual({ ok: true, data: null });
    expect(await request(await hub.connect('xa-07'), 'meeting:join', { meetingId: meeting.id })).toMatchObject({
      ok: false,
      error: { code: 'MEETING_LOCKED' },
    });
    expect((await hub.api('GET', `/api/meetings/${meeting.id}`, { token: await hub.login('chu-toa') })).body.locked).toBe(true);

    const closed = nextEvent(b, 'meeting:closed');
    const gone = new Promise((resolve) => b.once('disconnect', resolve));
    expect(await request(chair, 'chair:removeSite', { bridgePointCode: 'SO-GDDT' })).toEqual({ ok: true, data: null });
    expect(await closed).toEqual({ reason: 'removed' });
    await gone;
    const back = await request(await hub.connect('so-gddt'), 'meeting:join', { meetingId: meeting.id });
    expect(back).toMatchObject({ ok: false, error: { code: 'REMOVED' } });
    expect(await request(chair, 'chair:removeSite', { bridgePointCode: 'UBND-TINH' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('runs a roll call: sites answer with head counts, the chair sees it fill, closes it; late answers are refused', async () => {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10']);
    await start(meeting.id);
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const yt = await hub.connect('so-yt');
    const xa = await hub.connect('xa-10');
    await request(yt, 'meeting:join', { meetingId: meeting.id });
    await request(xa, 'meeting:join', { meetingId: meeting.id });

    expect(await request(yt, 'rollCall:confirm', { headCount: 3, reporterName: 'Trần Thị B' })).toMatchObject({
      ok: false,
      error: { code: 'ROLL_CALL_CLOSED' },
    });
    expect(await request(chair, 'chair:rollCall', { open: true })).toEqual({ ok: true, data: null });
    expect(await request(chair, 'chair:rollCall', { open: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const filled = nextEvent(chair, 'meeting:state', (s) => s.rollCall?.entries.length === 2);
    expect(await request(yt, 'rollCall:confirm', { headCount: 5, reporterName: 'Trần Thị B' })).toEqual({ ok: true, data: null });
    expect(await request(xa, 'rollCall:confirm', { headCount: 7, reporterName: 'Lê Văn C' })).toEqual({ ok: true, data: null });
    // A corrected answer replaces the first.
    await filled;
    const corrected = nextEvent(chair, 'meeting:state', (s) => s.rollCall?.entries.find((e) => e.code === 'SO-YT')?.headCount === 6);
    await request(yt, 'rollCall:confirm', { headCount: 6, reporterName: 'Trần Thị B' });
    expect((await corrected).rollCall!.entries.map((e) => [e.code, e.headCount, e.reporterName])).toEqual([
      ['XA-10', 7, 'Lê Văn C'],
      ['SO-YT', 6, 'Trần Thị B'],
    ]);
    expect(await request(chair, 'chair:rollCall', { open: false })).toEqual({ ok: true, data: null });
    expect(await request(xa, 'rollCall:confirm', { headCount: 8, reporterName: 'Lê Văn C' })).toMatchObject({
      ok: false,
      error: { code: 'ROLL_CALL_CLOSED' },
    });
    const entries = await hub.database.prisma.rollCallEntry.findMany({
      include: { rollCall: true, bridgePoint: true },
      where: { rollCall: { meetingId: meeting.id } },
    });
    expect(entries.map((e) => [e.bridgePoint.code, e.headCount]).sort()).toEqual([
      ['SO-YT', 6],
      ['XA-10', 7],
    ]);
    expect(entries[0]!.rollCall.closedAt).not.toBeNull();
  });

  it('writes attendance as it happens: a reconnect continues the presence, ending closes it, sites cannot come back', async () => {
    const meeting = await hub.createMeeting(['SO-TP']);
    await start(meeting.id);
    const first = await hub.connect('so-tp');
    await request(first, 'meeting:join', { meetingId: meeting.id });
    const sessions = () => hub.database.prisma.attendanceSession.findMany({ where: { meetingId: meeting.id }, orderBy: { id: 'asc' } });
    first.disconnect();
    await expect.poll(async () => (await sessions())[0]?.leftAt).not.toBeNull();
    const second = await hub.connect('so-tp');
    await request(second, 'meeting:join', { meetingId: meeting.id });
    await expect.poll(async () => (await sessions()).map((s) => [s.reconnects, s.leftAt])).toEqual([[1, null]]);

    const ended = nextEvent(second, 'meeting:closed');
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: await hub.login('chu-toa') })).status).toBe(200);
    expect(await ended).toEqual({ reason: 'ended' });
    const [row] = await sessions();
    expect(row!.leftAt).not.toBeNull();
    expect(await request(await hub.connect('so-tp'), 'meeting:join', { meetingId: meeting.id })).toMatchObject({
      ok: false,
      error: { code: 'MEETING_ENDED' },
    });
  });

  it('sends the chair each site’s uplink quality', async () => {
    const meeting = await hub.createMeeting(['SO-CT']);
    await start(meeting.id);
    const chair = await hub.connect('chu-toa');
    await joinWithMicrophone(chair, meeting.id, 3001);
    await joinWithMicrophone(await hub.connect('so-ct'), meeting.id, 3002);
    const quality = await nextEvent(chair, 'meeting:quality', (q) => q.sites.length === 2);
    expect(quality.sites.map((s) => s.code).sort()).toEqual(['SO-CT', 'UBND-TINH']);
    expect(quality.sites[0]).toEqual({ code: expect.any(String), lossPercent: 0, bitrateKbps: 0 });
  });
});

describe(`attendance survives a crash (${testProvider})`, () => {
  it('closes presences left open at their last heartbeat on start-up, and a site back in time continues its presence', async () => {
    const crashed = await startTestHub();
    let restarted: TestHub | undefined;
    try {
      const meeting = await crashed.createMeeting(['SO-NV']);
      await crashed.api('POST', `/api/meetings/${meeting.id}/start`, { token: await crashed.login('chu-toa') });
      await request(await crashed.connect('so-nv'), 'meeting:join', { meetingId: meeting.id });
      const prisma = crashed.database.prisma;
      const heartbeat = new Date(Date.now() - 5_000);
      await prisma.attendanceSession.updateMany({ where: { meetingId: meeting.id }, data: { lastSeenAt: heartbeat } });

      // The first process never closes the presence (as in a crash); a new one starts on the same database.
      restarted = await startTestHub({ reuse: { config: crashed.databaseConfig } });
      const [closed] = await restarted.database.prisma.attendanceSession.findMany({ where: { meetingId: meeting.id } });
      expect(closed!.leftAt?.getTime()).toBe(heartbeat.getTime());

      const back = await request(await restarted.connect('so-nv'), 'meeting:join', { meetingId: meeting.id });
      expect(back).toMatchObject({ ok: true, data: { admitted: true } });
      const [continued] = await restarted.database.prisma.attendanceSession.findMany({ where: { meetingId: meeting.id } });
      expect(continued).toMatchObject({ id: closed!.id, leftAt: null, reconnects: 1 });
    } finally {
      await restarted?.close();
      await crashed.close();
    }
  });
});
