import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type clientEventSchemas } from '../../shared/protocol.js';
import { request, startTestHub, type TestHub } from './helpers.js';

describe('REST API', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('lists the 22 provincial and 25 commune bridge points, provincial first', async () => {
    const points = (await hub.api<Array<{ code: string; level: string }>>('GET', '/api/bridge-points', { token: await hub.login('xa-01') }))
      .body;
    expect(points.filter((p) => p.level === 'PROVINCE')).toHaveLength(22);
    expect(points.filter((p) => p.level === 'COMMUNE')).toHaveLength(25);
    expect(points[0]?.code).toBe('UBND-TINH');
  });

  it('reports health and serves OpenAPI documentation', async () => {
    expect(await (await fetch(`${hub.url}/api/health`)).json()).toEqual({ status: 'ok', workers: 1 });
    expect((await fetch(`${hub.url}/docs/json`)).status).toBe(401);
    const spec = (
      await hub.api<{ openapi: string; paths: Record<string, unknown> }>('GET', '/docs/json', { token: await hub.login('xa-01') })
    ).body;
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/bridge-points', '/api/meetings/{meetingId}/media']),
    );
  });

  it('answers 404 for a meeting that is not live and 400 for a malformed meeting id', async () => {
    const token = await hub.login('admin');
    expect((await hub.api('GET', '/api/meetings/khong-co/media', { token })).status).toBe(404);
    const bad = await hub.api<{ message: string }>('GET', '/api/meetings/BAD%20ID/media', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Cuộc họp: chữ thường không dấu, chữ số và “-”');
  });
});

describe('meeting signalling', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('refuses a connection without a valid token', async () => {
    await expect(hub.connect()).rejects.toThrow(/UNAUTHENTICATED/);
  });

  it('refuses every event before joining, with NOT_JOINED', async () => {
    const site = await hub.connect('so-nv');
    const chair = await hub.connect('chu-toa');
    const samples: Record<string, unknown> = {
      'meeting:setRtpCapabilities': { rtpCapabilities: { codecs: [] } },
      'transport:create': { direction: 'send' },
      'transport:connect': { transportId: 't', dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] } },
      'transport:restartIce': { transportId: 't' },
      'producer:create': {
        transportId: 't',
        kind: 'audio',
        source: 'microphone',
        rtpParameters: { codecs: [{ mimeType: 'audio/opus', clockRate: 48000, payloadType: 100 }] },
      },
      'producer:pause': { producerId: 'p' },
      'producer:resume': { producerId: 'p' },
      'producer:close': { producerId: 'p' },
      'consumer:create': { producerId: 'p' },
      'consumer:resume': { consumerId: 'c' },
      'consumer:setPreferredLayers': { consumerId: 'c', spatialLayer: 0 },
      'hand:raise': { raised: true },
      'rollCall:confirm': { headCount: 3, reporterName: 'Nguyễn Văn A' },
      'chair:muteSite': { bridgePointCode: 'SO-NV', muted: true },
      'chair:muteAll': {},
      'chair:giveFloor': { bridgePointCode: null },
      'chair:spotlight': { bridgePointCode: 'SO-NV' },
      'chair:removeSite': { bridgePointCode: 'SO-NV' },
      'chair:lock': { locked: true },
      'chair:rollCall': { open: true },
    };
    for (const [event, payload] of Object.entries(samples)) {
      const answer = await request(event.startsWith('chair:') ? chair : site, event as keyof typeof clientEventSchemas, payload);
      expect(answer, event).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    }
  });

  it('validates every payload and names the bad field', async () => {
    const socket = await hub.connect('so-nv');
    const chair = await hub.connect('chu-toa');
    const cases: Array<[keyof typeof clientEventSchemas, unknown, RegExp]> = [
      ['meeting:join', { meetingId: 'Phòng họp' }, /^Cuộc họp: chữ thường không dấu/],
      ['meeting:join', { meetingId: 'hop', bridgePointCode: 'SO-NV' }, /bridgePointCode/],
      ['meeting:join', 'not an object', /^Dữ liệu: giá trị không hợp lệ$/],
      ['transport:create', { direction: 'sideways' }, /direction/],
      ['consumer:setPreferredLayers', { consumerId: 'c', spatialLayer: 7 }, /spatialLayer/],
      ['transport:connect', { transportId: 't', dtlsParameters: { fingerprints: [] } }, /fingerprints/],
      [
        'producer:create',
        { transportId: 't', kind: 'video', source: 'whiteboard', rtpParameters: { codecs: [] } },
        /Nguồn: hãy chọn một giá trị trong danh sách/,
      ],
      ['rollCall:confirm', { headCount: -1, reporterName: 'A' }, /^Số đại biểu: không được nhỏ hơn/],
      ['rollCall:confirm', { headCount: 2, reporterName: '  ' }, /^Người báo cáo: cần nhập/],
      ['chair:muteSite', { bridgePointCode: 'so-nv', muted: true }, /^Điểm cầu: chữ in hoa không dấu/],
      ['chair:lock', { locked: 'yes' }, /locked/],
      ['hand:raise', {}, /raised/],
    ];
    for (const [event, payload, field] of cases) {
      const answer = await request(event.startsWith('chair:') ? chair : socket, event, payload);
      expect(answer.ok, event).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('INVALID_PAYLOAD');
        expect(answer.error.message).toMatch(field);
      }
    }
    // names on Object's prototype too: `in` would find them, and they went unanswered
    for (const event of ['meeting:explode', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      const unknown = await request(socket, event as never, {});
      expect(unknown, event).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_PAYLOAD',
          messageKey: 'meeting.unknownRequest',
          message: 'Máy chủ không hiểu yêu cầu này: hãy tải lại trang.',
        },
      });
    }
  });

  it('refuses joins that are not allowed: unknown meeting, site not invited, accounts without a site', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const site = await hub.connect('so-nv');
    expect(await request(site, 'meeting:join', { meetingId: 'khong-co' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const stranger = await hub.connect('so-tp');
    expect(await request(stranger, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: false, error: { code: 'NOT_INVITED' } });
    const secretariat = await hub.connect('thu-ky');
    expect(await request(secretariat, 'meeting:join', { meetingId: meeting.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await request(site, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true, data: { admitted: false } });
    expect(await request(site, 'transport:create', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED', messageKey: 'meeting.waitForStart', message: 'Hãy chờ chủ tọa bắt đầu cuộc họp.' },
    });
  });

  it('joins, announces peers, creates transports, refuses bad media requests, and announces leaving', async () => {
    const meeting = await hub.createMeeting(['XA-05']);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') })).status).toBe(200);
    const first = await hub.connect('chu-toa');
    const second = await hub.connect('xa-05');
    const joined = await request(first, 'meeting:join', { meetingId: meeting.id });
    expect(joined.ok).toBe(true);
    expect(joined.data.admitted).toBe(true);
    expect(joined.data.routerRtpCapabilities.codecs.length).toBeGreaterThan(0);
    expect(joined.data.peers).toEqual([]);
    expect(await request(first, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });

    const announced = new Promise((resolve) => first.once('peer:joined', resolve));
    const secondJoin = await request(second, 'meeting:join', { meetingId: meeting.id });
    expect(secondJoin.data.peers).toEqual([
      {
        peerId: joined.data.peerId,
        bridgePointCode: 'UBND-TINH',
        bridgePointName: 'Điểm cầu UBND tỉnh (phòng họp trực tuyến)',
        producers: [],
      },
    ]);
    expect(await announced).toMatchObject({ bridgePointCode: 'XA-05', bridgePointName: 'UBND xã Cát Tiên' });

    const send = await request(first, 'transport:create', { direction: 'send' });
    expect(send.ok).toBe(true);
    expect(send.data.iceCandidates.map((c: { protocol: string }) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(await request(first, 'transport:create', { direction: 'send' })).toMatchObject({ ok: false, error: { code: 'MEDIA_ERROR' } });
    expect(
      await request(first, 'transport:connect', {
        transportId: 'khong-co',
        dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await request(first, 'consumer:create', { producerId: 'khong-co' })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_ERROR' },
    });
    expect(
      await request(first, 'producer:create', {
        transportId: send.data.id,
        kind: 'video',
        source: 'microphone',
        rtpParameters: { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_ERROR', messageKey: 'media.refused' } });

    const left = new Promise((resolve) => first.once('peer:left', resolve));
    expect(await request(second, 'meeting:leave', {})).toEqual({ ok: true, data: null });
    expect(await left).toEqual({ peerId: secondJoin.data.peerId });
  });

  it('replaces a bridge point that joins again (reconnect) instead of listing it twice', async () => {
    const meeting = await hub.createMeeting(['SO-YT', 'SO-CT']);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
    const stale = await hub.connect('so-yt');
    const observer = await hub.connect('so-ct');
    await request(stale, 'meeting:join', { meetingId: meeting.id });
    await request(observer, 'meeting:join', { meetingId: meeting.id });
    const disconnected = new Promise((resolve) => stale.once('disconnect', resolve));
    // told why first, so the old page does not connect again and take the site's place back (a tab ping-pong)
    const closed = new Promise((resolve) => stale.once('meeting:closed', resolve));
    const fresh = await hub.connect('so-yt');
    const rejoined = await request(fresh, 'meeting:join', { meetingId: meeting.id });
    expect(await closed).toEqual({ reason: 'replaced' });
    await disconnected;
    expect(rejoined.data.peers.map((p: { bridgePointCode: string }) => p.bridgePointCode)).toEqual(['SO-CT']);
  });

  it('carries a media exchange end to end over the socket events (capabilities, produce, consume, pause, layers, ICE restart, close)', async () => {
    const meeting = await hub.createMeeting(['SO-KHCN']);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
    const sender = await hub.connect('chu-toa');
    const receiver = await hub.connect('so-khcn');
    const joined = await request(sender, 'meeting:join', { meetingId: meeting.id });
    await request(receiver, 'meeting:join', { meetingId: meeting.id });
    const capabilities = joined.data.routerRtpCapabilities;
    expect(await request(receiver, 'meeting:setRtpCapabilities', { rtpCapabilities: capabilities })).toEqual({ ok: true, data: null });

    const send = await request(sender, 'transport:create', { direction: 'send' });
    expect((await request(receiver, 'transport:create', { direction: 'recv' })).ok).toBe(true);
    const fingerprint = { algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') };
    expect(
      await request(sender, 'transport:connect', {
        transportId: send.data.id,
        dtlsParameters: { role: 'client', fingerprints: [fingerprint] },
      }),
    ).toEqual({ ok: true, data: null });
    const restarted = await request(sender, 'transport:restartIce', { transportId: send.data.id });
    expect(restarted.data.iceParameters.usernameFragment).not.toBe(send.data.iceParameters.usernameFragment);

    const announced = new Promise<{ producerId: string; source: string }>((resolve) => receiver.once('producer:new', resolve));
    const produced = await request(sender, 'producer:create', {
      transportId: send.data.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 }], encodings: [{ ssrc: 4242 }] },
    });
    const { producerId } = produced.data;
    expect(await announced).toMatchObject({ producerId, source: 'microphone' });

    const consumed = await request(receiver, 'consumer:create', { producerId });
    expect(consumed.data).toMatchObject({
      producerId,
      peerId: joined.data.peerId,
      kind: 'audio',
      source: 'microphone',
      producerPaused: false,
    });
    const { consumerId } = consumed.data;
    expect(await request(receiver, 'consumer:resume', { consumerId })).toEqual({ ok: true, data: null });
    expect(await request(receiver, 'consumer:setPreferredLayers', { consumerId, spatialLayer: 0 })).toEqual({ ok: true, data: null });

    const paused = new Promise((resolve) => receiver.once('producer:paused', resolve));
    expect(await request(sender, 'producer:pause', { producerId })).toEqual({ ok: true, data: null });
    expect(await paused).toEqual({ peerId: joined.data.peerId, producerId });
    const resumed = new Promise((resolve) => receiver.once('producer:resumed', resolve));
    expect(await request(sender, 'producer:resume', { producerId })).toEqual({ ok: true, data: null });
    await resumed;

    const consumerClosed = new Promise((resolve) => receiver.once('consumer:closed', resolve));
    const producerClosed = new Promise((resolve) => receiver.once('producer:closed', resolve));
    expect(await request(sender, 'producer:close', { producerId })).toEqual({ ok: true, data: null });
    expect(await consumerClosed).toEqual({ consumerId });
    expect(await producerClosed).toEqual({ peerId: joined.data.peerId, producerId });
    // Only the owner may touch a producer.
    expect(await request(receiver, 'producer:pause', { producerId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
