import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestHub, type TestHub } from './helpers.js';

/**
 * A bridge point that floods control events (the presentation floor asked and given back, over and over)
 * gets most of them refused, in Vietnamese, and the meeting's record does not fill with them.
 */
describe('a flood of control events from one connection', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  it('is refused past the connection’s rate, nothing recorded for it; other events go on', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
    const site = await hub.connect('so-nv');
    expect(await request(site, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true });
    const recordedBefore = await hub.database.prisma.chairAction.count({ where: { meetingId: meeting.id } });
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await request(site, i % 2 === 0 ? 'presentation:request' : 'presentation:release', {}));
    const refused = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(answers.filter((a) => a.ok).length).toBe(30);
    expect(refused).toHaveLength(70);
    expect(refused[0]).toMatchObject({
      error: { message: expect.stringMatching(/^Quá nhiều thao tác trong thời gian ngắn: thử lại sau \d+ giây\.$/) as string },
    });
    const recorded = (await hub.database.prisma.chairAction.count({ where: { meetingId: meeting.id } })) - recordedBefore;
    expect(recorded).toBeLessThanOrEqual(30);
    // what is not a control event is not held back
    expect(await request(site, 'meeting:setRtpCapabilities', { rtpCapabilities: { codecs: [], headerExtensions: [] } })).toMatchObject({
      ok: true,
    });
    site.disconnect();
  });
});
