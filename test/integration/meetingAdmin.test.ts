import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingDto } from '../../shared/meetings.js';
import { nextEvent, request, startTestHub, type TestHub } from './helpers.js';

describe('meetings edited or cancelled before they start', () => {
  let hub: TestHub;
  let chair: string;
  beforeAll(async () => {
    hub = await startTestHub();
    chair = await hub.login('chu-toa');
  });
  afterAll(async () => hub.close());

  it('changes the subject, time and invited sites of a scheduled meeting, refusing an end before its start; audited', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const start = new Date(Date.now() + 86_400_000);
    const changed = await hub.api<MeetingDto>('PATCH', `/api/meetings/${meeting.id}`, {
      token: chair,
      body: {
        title: 'Họp giao ban (dời lịch)',
        scheduledStart: start.toISOString(),
        scheduledEnd: new Date(start.getTime() + 3_600_000).toISOString(),
        invitedCodes: ['SO-TC', 'XA-03'],
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ title: 'Họp giao ban (dời lịch)', scheduledStart: start.toISOString(), status: 'SCHEDULED' });
    // the chair's own site stays invited
    expect(changed.body.invited.map((s) => s.code).sort()).toEqual(['SO-TC', 'UBND-TINH', 'XA-03']);
    const backwards = await hub.api('PATCH', `/api/meetings/${meeting.id}`, {
      token: chair,
      body: { scheduledEnd: new Date(start.getTime() - 60_000).toISOString() },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe('Giờ kết thúc phải sau giờ bắt đầu.');
    expect((await hub.api('PATCH', `/api/meetings/${meeting.id}`, { token: chair, body: {} })).status).toBe(400);
    const audit = await hub.api('GET', `/api/audit?target=meeting:${meeting.id}`, { token: await hub.login('admin') });
    expect(audit.body).toMatchObject([{ actor: 'chu-toa', action: 'meeting.update', detail: { title: 'Họp giao ban (dời lịch)' } }]);
    // the calls to the room systems at its start: off unless asked for, then kept with the meeting
    expect(changed.body.callRoomSystemsAtStart).toBe(false);
    const calling = await hub.api<MeetingDto>('PATCH', `/api/meetings/${meeting.id}`, {
      token: chair,
      body: { callRoomSystemsAtStart: true },
    });
    expect(calling.body).toMatchObject({ callRoomSystemsAtStart: true, title: 'Họp giao ban (dời lịch)' });
    expect((await hub.api<MeetingDto>('GET', `/api/meetings/${meeting.id}`, { token: chair })).body.callRoomSystemsAtStart).toBe(true);
  });

  it('cancels a scheduled meeting: its waiting lobby is told, no one joins, it cannot start; a live one is not cancelled', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const site = await hub.connect('so-nv');
    expect((await request(site, 'meeting:join', { meetingId: meeting.id })).data).toMatchObject({ admitted: false });
    const closed = nextEvent(site, 'meeting:closed');
    const cancelled = await hub.api<MeetingDto>('POST', `/api/meetings/${meeting.id}/cancel`, { token: chair });
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await closed).toEqual({ reason: 'ended' });
    const again = await hub.connect('so-nv');
    expect(await request(again, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: false, error: { code: 'MEETING_ENDED' } });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair })).status).toBe(409);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/cancel`, { token: chair })).status).toBe(409);
    expect((await hub.api('PATCH', `/api/meetings/${meeting.id}`, { token: chair, body: { title: 'Sửa họp đã hủy' } })).status).toBe(409);

    const live = await hub.createMeeting(['SO-NV']);
    await hub.api('POST', `/api/meetings/${live.id}/start`, { token: chair });
    expect((await hub.api('POST', `/api/meetings/${live.id}/cancel`, { token: chair })).status).toBe(409);
    // another chair's meeting is not this one's to cancel (the matrix covers the roles)
    const audit = await hub.api('GET', `/api/audit?target=meeting:${meeting.id}`, { token: await hub.login('admin') });
    expect(audit.body[0]).toMatchObject({ action: 'meeting.cancel', actor: 'chu-toa' });
  });
});
