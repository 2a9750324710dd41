import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeetingState } from '../../shared/meetings.js';
import { joinAndProduce, nextEvent, opusParameters, request, startTestHub, tempDatabase, testProvider, type TestHub } from './helpers.js';

const siteOf = (state: MeetingState, code: string) => state.sites.find((s) => s.code === code)!;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`faults: a dying worker, a join cut short, a restart (${testProvider})`, () => {
  let hub: TestHub;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    hub = await startTestHub({ workers: 2 });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await hub.close();
  });
  afterEach(() => expect(unhandled).toEqual([]));

  const chairToken = () => hub.login('chu-toa');
  const startMeeting = async (codes: string[]) => {
    const meeting = await hub.createMeeting(codes);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await chairToken() })).status).toBe(200);
    return meeting.id;
  };
  const openSessions = (meetingId: string) =>
    hub.database.prisma.attendanceSession.findMany({ where: { meetingId }, include: { bridgePoint: { select: { code: true } } } });

  it('leaves no peer, presence or open attendance behind when sites drop 0–50 ms into their join', async () => {
    const codes = ['SO-NV', 'SO-TC', 'SO-YT', 'XA-01', 'XA-02'];
    const meetingId = await startMeeting(codes);
    for (let offset = 0; offset <= 50; offset += 2) {
      await Promise.all(
        codes.map(async (code, i) => {
          const socket = await hub.connect(code.toLowerCase());
          socket.emit('meeting:join', { meetingId }, () => undefined);
          // the sites drop at staggered points of the join: before, between and after its awaits
          await delay(offset + i / 2);
          socket.disconnect();
        }),
      );
    }
    // every leave has run once the server saw every disconnect: nobody is in the room, nobody present
    await vi.waitFor(async () => expect(await hub.app.io.fetchSockets()).toHaveLength(0), { timeout: 60_000, interval: 100 });
    await hub.app.attendance.flush();
    const room = await hub.media.existingRoom(meetingId);
    expect(room ? [...room.peers].map((p) => p.identity.bridgePointCode) : []).toEqual([]);
    expect((await openSessions(meetingId)).filter((s) => s.leftAt === null)).toEqual([]);
    const watcher = await hub.connect('chu-toa');
    const joined = await request(watcher, 'meeting:join', { meetingId });
    for (const code of codes) expect(siteOf(joined.data.meeting, code).presence).not.toBe('connected');
    watcher.disconnect();
  });

  it('survives the SIGKILL of the meeting’s worker: its sites are asked to rejoin, and do so on a live worker with their presence running on', async () => {
    const meetingId = await startMeeting(['SO-NV', 'SO-TC']);
    const sites = await Promise.all(['so-nv', 'so-tc'].map((username) => hub.connect(username)));
    const peers = await Promise.all(sites.map((socket, i) => joinAndProduce(socket, meetingId, 'microphone', opusParameters(5100 + i))));
    const room = (await hub.media.existingRoom(meetingId))!;
    const workerIndex = room.peer(peers[0]!.peerId).workerIndex;
    const { worker } = hub.media.workerPool.slot(workerIndex);
    const died = new Promise((resolve) => hub.media.workerPool.once('workerDied', resolve));
    const rejoins = sites.map((socket) => nextEvent(socket, 'meeting:rejoin'));
    const teardownNews = new Set(['meeting:rejoin', 'producer:closed', 'consumer:closed', 'peer:left', 'activeSpeaker:changed']);
    const heard = sites.map((socket) => {
      const events: string[] = [];
      socket.onAny((event: string) => teardownNews.has(event) && events.push(event));
      return events;
    });
    process.kill(worker.pid, 'SIGKILL');
    await died;
    expect(await Promise.all(rejoins)).toEqual([{ reason: 'mediaLost' }, { reason: 'mediaLost' }]);
    // each site hears first that it must join again: news of the room's teardown would only hold its page back
    for (const events of heard) expect(events[0]).toBe('meeting:rejoin');
    expect(heard.flat()).not.toContain('producer:closed');
    // the dead worker is never handed out, even before its replacement runs
    expect(hub.media.workerPool.leastLoaded().worker).not.toBe(worker);

    const again = await Promise.all(sites.map((socket) => request(socket, 'meeting:join', { meetingId })));
    for (const joined of again) expect(joined.data).toMatchObject({ admitted: true });
    const rebuilt = (await hub.media.existingRoom(meetingId))!;
    expect(rebuilt).not.toBe(room);
    expect([...rebuilt.peers].map((p) => p.identity.bridgePointCode).sort()).toEqual(['SO-NV', 'SO-TC']);
    for (const peer of rebuilt.peers) expect(hub.media.workerPool.slot(peer.workerIndex).worker).not.toBe(worker);
    // one presence per site, never closed: the hub's fault is not the site's absence
    await hub.app.attendance.flush();
    const sessions = await openSessions(meetingId);
    expect(sessions.map((s) => ({ code: s.bridgePoint.code, open: s.leftAt === null, reconnects: s.reconnects })).sort(byCode)).toEqual([
      { code: 'SO-NV', open: true, reconnects: 0 },
      { code: 'SO-TC', open: true, reconnects: 0 },
    ]);
    for (const socket of sites) socket.disconnect();
  });
});

const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);

describe(`the chair's control state across a restart (${testProvider})`, () => {
  let temp: Awaited<ReturnType<typeof tempDatabase>>;
  let hub: TestHub;
  beforeAll(async () => {
    temp = await tempDatabase();
    hub = await startTestHub({ reuse: { config: temp.config } });
  });
  afterAll(async () => {
    await hub.close();
    await temp.drop();
  });

  it('keeps the chair’s mutes, raised hands, floor and spotlight across a restart of the hub', async () => {
    const meeting = await hub.createMeeting(['SO-NV', 'SO-TC', 'XA-01']);
    const meetingId = meeting.id;
    expect((await hub.api('POST', `/api/meetings/${meetingId}/start`, { token: await hub.login('chu-toa') })).status).toBe(200);
    const chair = await hub.connect('chu-toa');
    const hand = await hub.connect('xa-01');
    await request(chair, 'meeting:join', { meetingId });
    await request(hand, 'meeting:join', { meetingId });
    const settled = nextEvent(chair, 'meeting:state', (s) => s.spotlightCode === 'SO-TC' && s.handQueue.length === 1);
    for (const [socket, event, payload] of [
      [chair, 'chair:muteSite', { bridgePointCode: 'SO-TC', muted: true }],
      [chair, 'chair:giveFloor', { bridgePointCode: 'SO-NV' }],
      [chair, 'chair:spotlight', { bridgePointCode: 'SO-TC' }],
      [hand, 'hand:raise', { raised: true }],
    ] as const)
      expect(await request(socket, event, payload)).toMatchObject({ ok: true });
    const before = await settled;

    // stopped as main.ts stops it, the sites still connected (they come back after a restart)
    await hub.app.http.close();
    await hub.media.close();
    await hub.database.close();
    hub = await startTestHub({ reuse: { config: temp.config } });
    const chairAgain = await hub.connect('chu-toa');
    const after = (await request(chairAgain, 'meeting:join', { meetingId })).data.meeting as MeetingState;
    expect({ floor: after.floorCode, spotlight: after.spotlightCode, hands: after.handQueue }).toEqual({
      floor: before.floorCode,
      spotlight: 'SO-TC',
      hands: ['XA-01'],
    });
    expect(before.floorCode).toBe('SO-NV');
    expect(siteOf(after, 'SO-TC').mutedByChair).toBe(true);
    // and the SFU holds the muted site's microphone when it comes back
    const muted = await hub.connect('so-tc');
    const { producerId } = await joinAndProduce(muted, meetingId, 'microphone', opusParameters(5200));
    const room = (await hub.media.existingRoom(meetingId))!;
    expect([...room.peers].find((p) => p.producers.has(producerId))!.producer(producerId).paused).toBe(true);
  });
});
