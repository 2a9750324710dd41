import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestCreatedDto, MeetingState } from '../../shared/meetings.js';
import { nextEvent, request, startTestHub, type TestHub } from './helpers.js';

/** Each section's transport (one, bundled): ICE credentials, the DTLS certificate's fingerprint, DTLS role open. */
const transportLines = [
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:actpass',
];

/** An encoder's offer as a browser writes it: Opus and VP8, send-only, bundled, DTLS actpass. */
const offer = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  ...transportLines,
  'a=mid:0',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendonly',
  'a=msid:- audio-track',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=ssrc:1001 cname:encoder',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  ...transportLines,
  'a=mid:1',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendonly',
  'a=msid:- video-track',
  'a=rtcp-mux',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack',
  'a=rtcp-fb:96 nack pli',
  'a=rtcp-fb:96 ccm fir',
  'a=ssrc:2001 cname:encoder',
  '',
].join('\r\n');

describe('feeds from outside over WHIP (RFC 9725)', () => {
  let hub: TestHub;
  let chair: string;
  beforeAll(async () => {
    hub = await startTestHub();
    chair = await hub.login('chu-toa');
  });
  afterAll(async () => hub.close());

  const whip = (url: string, init: { token?: string; body?: string; type?: string; method?: string }) =>
    fetch(url, {
      method: init.method ?? 'POST',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/sdp' } : {}),
      },
      body: init.body,
    });

  it('adds a feed, takes its encoder into the meeting as a site, ends it on DELETE; refuses what it must, leaving nothing behind', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    // only the meeting's chair (or the admin) adds feeds
    const refused = await hub.api('POST', `/api/meetings/${meeting.id}/ingests`, {
      token: await hub.login('xa-01'),
      body: { name: 'Chính phủ', kind: 'whip' },
    });
    expect(refused.status).toBe(403);
    const { status, body: feed } = await hub.api<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
      token: chair,
      body: { name: 'Chính phủ', kind: 'whip' },
    });
    expect(status).toBe(201);
    expect(feed).toMatchObject({ name: 'Chính phủ', kind: 'whip', code: `FEED-${feed.id.toUpperCase()}`, connected: false });
    expect(feed.url).toBe(`${hub.url}/api/ingests/${feed.id}/whip`);
    expect(feed.token).toMatch(/^[\w-]{32}$/);

    // not live yet: try again later
    const early = await whip(feed.url, { token: feed.token, body: offer });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('10');
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair });

    const site = await hub.connect('so-nv');
    const joined = await request(site, 'meeting:join', { meetingId: meeting.id });
    expect(joined.data.meeting.feeds).toEqual([
      { id: feed.id, code: feed.code, name: 'Chính phủ', kind: 'whip', presence: 'waiting', mutedByChair: false, handRaised: false },
    ]);

    // a wrong or missing token, a body that is not SDP, an offer that is not one: refused, nothing left
    const wrong = await whip(feed.url, { token: 'x'.repeat(32), body: offer });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await whip(feed.url, { body: offer })).status).toBe(401);
    expect((await whip(feed.url, { token: feed.token, body: offer, type: 'text/plain' })).status).toBe(415);
    const garbage = await whip(feed.url, { token: feed.token, body: 'hello' });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { message: string }).message).toBe('Đây không phải SDP offer (phải bắt đầu bằng v=0).');
    const noDtls = await whip(feed.url, { token: feed.token, body: offer.replace(/a=fingerprint:.*\r\n/g, '') });
    expect(noDtls.status).toBe(400);
    expect(((await noDtls.json()) as { message: string }).message).toBe('Offer thiếu a=fingerprint (DTLS).');
    const h265 = await whip(feed.url, { token: feed.token, body: offer.replace('VP8/90000', 'H265/90000') });
    expect(h265.status).toBe(400);
    expect(((await h265.json()) as { message: string }).message).toMatch(/^Không có mã hình ảnh chung: máy chủ nhận /);
    const room = (await hub.media.existingRoom(meeting.id))!;
    expect([...room.peers].map((p) => p.identity.bridgePointCode)).toEqual(['SO-NV']);

    // the encoder's offer: 201, its session's address, the answer; the site hears of a new site and its media
    const peerJoined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
    const producers = new Set<string>();
    site.on('producer:new', (p) => producers.add(`${p.source}/${p.kind}`));
    const connected = nextEvent(site, 'meeting:state', (s: MeetingState) => s.feeds[0]?.presence === 'connected');
    const accepted = await whip(feed.url, { token: feed.token, body: offer });
    expect(accepted.status).toBe(201);
    expect(accepted.headers.get('content-type')).toMatch(/^application\/sdp/);
    const location = accepted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/api/ingests/${feed.id}/whip/[0-9a-f-]{36}$`));
    const answer = await accepted.text();
    expect(answer).toMatch(/^v=0\r\n/);
    expect(answer).toMatch(/a=ice-lite/);
    expect(answer).toMatch(/a=setup:passive/);
    expect(answer).toMatch(/a=candidate:/);
    expect(answer).toMatch(/a=rtpmap:\d+ VP8\/90000/);
    expect(answer).toMatch(/a=recvonly/);
    expect((await peerJoined).bridgePointName).toBe('Chính phủ');
    await connected;
    await expect.poll(() => [...producers].sort()).toEqual(['camera/video', 'microphone/audio']);
    // a site like the others: the chair gives it the floor (shown large everywhere)
    const chairSocket = await hub.connect('chu-toa');
    await request(chairSocket, 'meeting:join', { meetingId: meeting.id });
    const floor = nextEvent(site, 'meeting:state', (s: MeetingState) => s.floorCode === feed.code);
    expect(await request(chairSocket, 'chair:giveFloor', { bridgePointCode: feed.code })).toEqual({ ok: true, data: null });
    await floor;
    // and the presentation floor: its own picture is the content
    const presenting = nextEvent(site, 'meeting:state', (s: MeetingState) => s.presenterCode === feed.code);
    expect(await request(chairSocket, 'chair:presentation', { bridgePointCode: feed.code })).toEqual({ ok: true, data: null });
    await presenting;

    // DELETE with the token ends it: the site leaves, the feed waits again, the presentation floor is free
    const left = nextEvent(site, 'peer:left');
    const floorFree = nextEvent(site, 'meeting:state', (s: MeetingState) => s.presenterCode === null);
    expect((await whip(`${hub.url}${location}`, { method: 'DELETE' })).status).toBe(401);
    expect((await whip(`${hub.url}${location}`, { method: 'DELETE', token: feed.token })).status).toBe(200);
    await Promise.all([left, floorFree]);
    expect((await whip(`${hub.url}${location}`, { method: 'DELETE', token: feed.token })).status).toBe(404);
    // a feed not sending cannot be given it
    expect(await request(chairSocket, 'chair:presentation', { bridgePointCode: feed.code })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect([...room.peers].map((p) => p.identity.bridgePointCode).sort()).toEqual(['SO-NV', 'UBND-TINH']);
    chairSocket.disconnect();

    // removed: its token works no more
    expect((await hub.api('DELETE', `/api/meetings/${meeting.id}/ingests/${feed.id}`, { token: chair })).status).toBe(204);
    expect((await whip(feed.url, { token: feed.token, body: offer })).status).toBe(401);
    // nor does an id that never was a feed tell itself apart from a wrong token
    expect((await whip(feed.url.replace(feed.id, 'ffffffff'), { token: feed.token, body: offer })).status).toBe(401);
    const list = await hub.api<{ ingests: unknown[] }>('GET', `/api/meetings/${meeting.id}/ingests`, { token: chair });
    expect(list.body.ingests).toEqual([]);
    site.disconnect();
  });
});

describe('a WHIP encoder that never connects', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ feeds: { connectTimeoutMs: 1000 } });
  });
  afterAll(async () => hub.close());

  it('is dropped once its connect time is up: the feed leaves the meeting and waits again', async () => {
    const chair = await hub.login('chu-toa');
    const meeting = await hub.createMeeting(['SO-NV']);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair });
    const { body: feed } = await hub.api<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
      token: chair,
      body: { name: 'Chính phủ', kind: 'whip' },
    });
    const site = await hub.connect('so-nv');
    await request(site, 'meeting:join', { meetingId: meeting.id });
    const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
    // the offer's ICE credentials and candidates lead nowhere: nobody will ever connect
    const accepted = await fetch(feed.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${feed.token}`, 'content-type': 'application/sdp' },
      body: offer,
    });
    expect(accepted.status).toBe(201);
    const { peerId } = await joined;
    const waiting = nextEvent(site, 'meeting:state', (s: MeetingState) => s.feeds[0]?.presence === 'waiting');
    expect((await nextEvent(site, 'peer:left', () => true)).peerId).toBe(peerId);
    await waiting;
    site.disconnect();
  });
});
