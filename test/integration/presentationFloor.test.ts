import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '../../shared/meetings.js';
import { nextEvent, opusParameters, request, startTestHub, vp8Parameters, type TestHub, type TestSocket } from './helpers.js';

/** A screen producer (RTP parameters only: the SFU's state is what is checked). */
async function produceScreen(socket: TestSocket, transportId: string, ssrc: number) {
  return request(socket, 'producer:create', { transportId, kind: 'video', source: 'screen', rtpParameters: vp8Parameters(ssrc) });
}

const presenterIs = (code: string | null) => (state: MeetingState) => state.presenterCode === code;

describe('the presentation floor: one presenter, enforced by the server', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('grants a free floor, refuses a second presenter until it is released, and lets the chair hand it over and revoke it', async () => {
    const meeting = await hub.createMeeting(['SO-NV', 'XA-01']);
    const chairToken = await hub.login('chu-toa');
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken });
    const chair = await hub.connect('chu-toa');
    const first = await hub.connect('so-nv');
    const second = await hub.connect('xa-01');
    /** Joins with a send transport (and a microphone on it); returns the peer and the transport. */
    const join = async (socket: TestSocket, ssrc: number) => {
      const joined = await request(socket, 'meeting:join', { meetingId: meeting.id });
      const transport = await request(socket, 'transport:create', { direction: 'send' });
      const transportId = transport.data.id as string;
      await request(socket, 'producer:create', { transportId, kind: 'audio', source: 'microphone', rtpParameters: opusParameters(ssrc) });
      return { peerId: joined.data.peerId as string, transportId };
    };
    await join(chair, 2001);
    const firstSite = await join(first, 2002);
    const secondSite = await join(second, 2003);
    const firstSend = firstSite.transportId;
    const secondSend = secondSite.transportId;

    // nobody may present without the floor
    expect(await produceScreen(first, firstSend, 3001)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // the first site asks and gets it; everyone is told; it presents
    const told = nextEvent(second, 'meeting:state', presenterIs('SO-NV'));
    expect(await request(first, 'presentation:request', {})).toEqual({ ok: true, data: null });
    await told;
    const screen = await produceScreen(first, firstSend, 3001);
    expect(screen.ok).toBe(true);

    // a second presenter is refused, and cannot present
    const refused = await request(second, 'presentation:request', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'PRESENTATION_BUSY' } });
    expect((refused as { error: { message: string } }).error.message).toContain('Sở Nội vụ');
    expect(await produceScreen(second, secondSend, 3002)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // released: the second gets it
    const freed = nextEvent(second, 'meeting:state', presenterIs(null));
    expect(await request(first, 'presentation:release', {})).toEqual({ ok: true, data: null });
    await freed;
    expect(await request(second, 'presentation:request', {})).toEqual({ ok: true, data: null });

    // the chair hands it back to the first site: the second's screen stops being forwarded at once
    const secondScreen = await produceScreen(second, secondSend, 3002);
    const room = (await hub.media.existingRoom(meeting.id))!;
    const closed = nextEvent(first, 'producer:closed', (p) => p.producerId === secondScreen.data.producerId);
    expect(await request(second, 'chair:presentation', { bridgePointCode: 'SO-NV' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(chair, 'chair:presentation', { bridgePointCode: 'SO-NV' })).toEqual({ ok: true, data: null });
    await closed;
    expect([...room.peer(firstSite.peerId).producers.values()].map((p) => p.appData.source)).toContain('microphone');

    // a presenter that leaves frees the floor
    const left = nextEvent(second, 'meeting:state', presenterIs(null));
    expect(await request(first, 'meeting:leave', {})).toEqual({ ok: true, data: null });
    await left;

    // the chair takes it for the host site, then revokes it
    expect(await request(chair, 'chair:presentation', { bridgePointCode: 'UBND-TINH' })).toEqual({ ok: true, data: null });
    const revoked = nextEvent(second, 'meeting:state', presenterIs(null));
    expect(await request(chair, 'chair:presentation', { bridgePointCode: null })).toEqual({ ok: true, data: null });
    await revoked;
    // a site not in the meeting cannot be given it
    expect(await request(chair, 'chair:presentation', { bridgePointCode: 'SO-NV' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const actions = await hub.database.prisma.chairAction.findMany({ where: { meetingId: meeting.id }, orderBy: { id: 'asc' } });
    expect(actions.map((a) => a.action).filter((a) => a.startsWith('presentation'))).toEqual([
      'presentationStart',
      'presentationEnd',
      'presentationStart',
      'presentationGrant',
      'presentationGrant',
      'presentationRevoke',
    ]);
    for (const socket of [chair, first, second]) socket.disconnect();
  });
});
