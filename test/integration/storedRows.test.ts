import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialCipher } from '../../camera-gateway/index.js';
import { request, startTestHub, tempDatabase, type TestHub } from './helpers.js';

/**
 * Rows a live meeting stored before the rules were tightened (a NUL byte in an output's URL, a control
 * character before a feed's source): at start-up each is logged and skipped, and the hub starts; it used
 * to throw there (no child process takes an argument with a NUL byte) and exit.
 */
describe('rows stored before the rules were tightened', () => {
  const cameraKey = randomBytes(32);
  let temp: Awaited<ReturnType<typeof tempDatabase>>;
  let hub: TestHub | undefined;
  afterAll(async () => {
    await hub?.close();
    await temp?.drop();
  });

  it('are refused when added, and logged and skipped at start-up: the hub starts and the meeting goes on', async () => {
    temp = await tempDatabase();
    hub = await startTestHub({ reuse: { config: temp.config }, cameraKey });
    const chair = await hub.login('chu-toa');
    const meeting = await hub.createMeeting(['SO-NV']);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair })).status).toBe(200);

    // what the API refuses now, with a reason in Vietnamese, nothing stored
    const badOutput = 'rtmp://127.0.0.1:19540/live/khoa\u0000an';
    for (const url of [badOutput, '\u0001rtmp://127.0.0.1:19540/live/khoa', 'rtmp://127.0.0.1:19540/live/kho a']) {
      const refused = await hub.api<{ message: string }>('POST', `/api/meetings/${meeting.id}/outputs`, { token: chair, body: { url } });
      expect({ status: refused.status, message: refused.body.message }).toEqual({
        status: 400,
        message: expect.stringContaining('không được chứa ký tự điều khiển hay khoảng trắng') as string,
      });
    }
    // nor the hub's own services (its HTTP port here): the push's error would scan the hub's ports
    const ownPort = new URL(hub.url).port;
    const own = await hub.api<{ message: string }>('POST', `/api/meetings/${meeting.id}/outputs`, {
      token: chair,
      body: { url: `rtmp://127.0.0.1:${ownPort}/live/khoa` },
    });
    expect({ status: own.status, message: own.body.message }).toEqual({
      status: 400,
      message: `127.0.0.1:${ownPort} là một dịch vụ của chính máy chủ họp: không được dùng làm nơi nhận hay nguồn.`,
    });
    const ownSource = await hub.api('POST', `/api/meetings/${meeting.id}/ingests`, {
      token: chair,
      body: { name: 'Dò cổng', kind: 'rtsp', source: `rtsp://localhost:${ownPort}/luong` },
    });
    expect(ownSource.status).toBe(400);
    for (const source of ['\u0001rtsp://10.0.0.5/luong', 'rtsps://10.0.0.5/luong']) {
      const refused = await hub.api('POST', `/api/meetings/${meeting.id}/ingests`, {
        token: chair,
        body: { name: 'Nguồn cũ', kind: 'rtsp', source },
      });
      expect(refused.status).toBe(400);
    }
    const prisma = hub.database.prisma;
    expect(await prisma.meetingOutput.count({ where: { meetingId: meeting.id } })).toBe(0);
    expect(await prisma.meetingIngest.count({ where: { meetingId: meeting.id } })).toBe(0);

    // as an earlier version stored them
    const cipher = new CredentialCipher(cameraKey);
    const { id: createdById } = await prisma.user.findUniqueOrThrow({ where: { username: 'chu-toa' } });
    await prisma.meetingOutput.create({
      data: { id: 'bad-output', meetingId: meeting.id, urlCipher: cipher.encrypt(badOutput), createdById },
    });
    await prisma.meetingIngest.create({
      data: {
        id: 'badfeed1',
        meetingId: meeting.id,
        name: 'Nguồn cũ',
        kind: 'RTSP',
        tokenHash: '00',
        secretCipher: cipher.encrypt('\u0001rtsp://10.0.0.5/luong\u0000'),
        createdById,
      },
    });

    // stopped as main.ts stops it, then started again on the same database
    await hub.app.http.close();
    await hub.media.close();
    await hub.database.close();
    hub = undefined;
    const logLines: string[] = [];
    hub = await startTestHub({ reuse: { config: temp.config }, cameraKey, logLines });
    const skipped = logLines
      .map((line) => JSON.parse(line) as { msg: string; reason?: string })
      .filter((entry) => entry.msg.endsWith('skipped'));
    expect(skipped.map((entry) => [entry.msg, entry.reason])).toEqual(
      expect.arrayContaining([
        ['a stored output is not valid: skipped', 'its URL is not valid'],
        ['a stored feed is not valid: skipped', 'its source is not valid'],
      ]),
    );
    expect(logLines.join('\n')).not.toContain('khoa');
    expect(logLines.join('\n')).not.toContain('10.0.0.5');

    // and the meeting goes on
    const site = await hub.connect('so-nv');
    expect(await request(site, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true, data: { admitted: true } });
    site.disconnect();
  });
});
