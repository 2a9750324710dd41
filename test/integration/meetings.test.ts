import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, testProvider, type TestHub } from './helpers.js';

describe(`meetings over REST (${testProvider})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('signs in, tells who is signed in, refuses wrong passwords, and signs out', async () => {
    const wrong = await hub.api('POST', '/api/auth/login', { body: { username: 'chu-toa', password: 'sai' } });
    expect(wrong.status).toBe(401);
    expect((await hub.api('POST', '/api/auth/login', { body: { username: 'khong-co', password: 'x' } })).status).toBe(401);
    expect((await hub.api('POST', '/api/auth/login', { body: { username: 'chu-toa' } })).body.message).toBe('Mật khẩu: cần nhập');
    const token = await hub.login('so-yt');
    expect((await hub.api('GET', '/api/auth/me', { token })).body).toEqual({
      username: 'so-yt',
      displayName: 'Sở Y tế',
      role: 'BRIDGE_POINT',
      bridgePointCode: 'SO-YT',
      mustChangePassword: false,
    });
    const login = await hub.api('POST', '/api/auth/login', { body: { username: 'thu-ky', password: 'hop-truc-tuyen' } });
    expect((await hub.api('POST', '/api/auth/logout', { token: login.body.token })).status).toBe(204);
    expect((await hub.api('GET', '/api/auth/me', { token: login.body.token })).status).toBe(401);
    expect((await hub.api('GET', '/api/auth/me')).status).toBe(401);
  });

  it('schedules a meeting with invited sites (the chair’s site always included), lists and gets it', async () => {
    const meeting = await hub.createMeeting(['SO-NV', 'XA-01', 'SO-NV'], {
      hostLevel: 'GOVERNMENT',
      title: 'Hội nghị trực tuyến Chính phủ với địa phương',
    });
    expect(meeting).toMatchObject({
      status: 'SCHEDULED',
      hostLevel: 'GOVERNMENT',
      hostBridgePointCode: 'UBND-TINH',
      chair: { username: 'chu-toa' },
      startedAt: null,
    });
    expect(meeting.invited.map((s) => s.code).sort()).toEqual(['SO-NV', 'UBND-TINH', 'XA-01']);

    const chair = await hub.login('chu-toa');
    expect((await hub.api('GET', `/api/meetings/${meeting.id}`, { token: chair })).body).toEqual(meeting);
    const listed = (await hub.api('GET', '/api/meetings', { token: chair })).body as Array<{ id: string }>;
    expect(listed.map((m) => m.id)).toContain(meeting.id);
    // A site sees only what it is invited to.
    expect(
      ((await hub.api('GET', '/api/meetings', { token: await hub.login('xa-01') })).body as Array<{ id: string }>).map((m) => m.id),
    ).toContain(meeting.id);
    expect(
      ((await hub.api('GET', '/api/meetings', { token: await hub.login('xa-02') })).body as Array<{ id: string }>).map((m) => m.id),
    ).not.toContain(meeting.id);
    expect((await hub.api('GET', `/api/meetings/${meeting.id}`, { token: await hub.login('xa-02') })).status).toBe(404);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    expect((await hub.api('GET', `/api/meetings?from=${encodeURIComponent(later)}`, { token: chair })).body).toEqual([]);
  });

  it('refuses bad meetings with the field named, and organising by roles that may not', async () => {
    const chair = await hub.login('chu-toa');
    const base = {
      title: 'Họp',
      hostLevel: 'PROVINCIAL',
      scheduledStart: '2026-12-01T08:00:00+07:00',
      scheduledEnd: '2026-12-01T10:00:00+07:00',
      invitedCodes: ['SO-NV'],
    };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, title: 'Họp giao ban', scheduledEnd: '2026-12-01T07:00:00+07:00' }, /^Giờ kết thúc: phải sau giờ bắt đầu$/],
      [{ ...base, title: 'Họp giao ban', hostLevel: 'DISTRICT' }, /^Cấp chủ trì: hãy chọn/],
      [{ ...base, title: 'Họp giao ban', invitedCodes: ['KHONG-CO'] }, /^Không có các điểm cầu: KHONG-CO\.$/],
      [{ ...base, title: 'Họp giao ban', invitedCodes: [] }, /^Điểm cầu được mời: cần ít nhất 1 mục$/],
      [{ ...base, title: 'Họp giao ban', chairUsername: 'thu-ky' }, /^thu-ky không phải tài khoản chủ tọa\.$/],
      [{ ...base, title: 'Họ' }, /^Tiêu đề: cần ít nhất \d+ ký tự$/],
      [{ ...base, title: 'Họp giao ban', scheduledStart: 'mai' }, /^Giờ bắt đầu: cần ngày giờ hợp lệ/],
    ];
    for (const [body, message] of cases) {
      const answer = await hub.api('POST', '/api/meetings', { token: chair, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(message);
    }
    expect(
      (await hub.api('POST', '/api/meetings', { token: await hub.login('so-nv'), body: { ...base, title: 'Họp giao ban' } })).status,
    ).toBe(403);
    expect((await hub.api('POST', '/api/meetings', { body: { ...base, title: 'Họp giao ban' } })).status).toBe(401);
    // The secretariat schedules on behalf of a named chair.
    const byClerk = await hub.api('POST', '/api/meetings', {
      token: await hub.login('thu-ky'),
      body: { ...base, title: 'Họp giao ban', chairUsername: 'chu-toa' },
    });
    expect(byClerk.status).toBe(201);
    expect(
      await hub.api('POST', '/api/meetings', { token: await hub.login('thu-ky'), body: { ...base, title: 'Họp giao ban' } }),
    ).toMatchObject({ status: 400, body: { message: /chairUsername/ } });
  });

  it('starts and ends only as the chair (or an admin), once each, and audits both', async () => {
    const meeting = await hub.createMeeting(['SO-TC']);
    const chair = await hub.login('chu-toa');
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('thu-ky') })).status).toBe(403);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('so-tc') })).status).toBe(403);
    expect((await hub.api('POST', '/api/meetings/khong-co/start', { token: chair })).status).toBe(404);
    const started = await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair });
    expect(started.body).toMatchObject({ status: 'LIVE', startedAt: expect.any(String) });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair })).status).toBe(409);
    const ended = await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: await hub.login('admin') });
    expect(ended.body).toMatchObject({ status: 'ENDED', endedAt: expect.any(String) });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: chair })).status).toBe(409);
    const actions = (await hub.api('GET', `/api/meetings/${meeting.id}/actions`, { token: await hub.login('thu-ky') })).body as Array<{
      action: string;
      by: string;
    }>;
    expect(actions.map((a) => [a.action, a.by])).toEqual([
      ['start', 'chu-toa'],
      ['end', 'admin'],
    ]);
    expect((await hub.api('GET', `/api/meetings/${meeting.id}/actions`, { token: await hub.login('so-tc') })).status).toBe(403);
  });

  it('documents every route in OpenAPI', async () => {
    const spec = (await hub.api<{ paths: Record<string, unknown> }>('GET', '/docs/json', { token: await hub.login('thu-ky') })).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/auth/me',
        '/api/auth/logout',
        '/api/auth/password',
        '/api/users',
        '/api/users/{username}',
        '/api/users/{username}/reset-password',
        '/api/audit',
        '/api/meetings',
        '/api/meetings/{meetingId}',
        '/api/meetings/{meetingId}/start',
        '/api/meetings/{meetingId}/end',
        '/api/meetings/{meetingId}/actions',
        '/api/reports/meetings/{meetingId}',
        '/api/reports/period',
      ]),
    );
  });
});
