import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers.js';

/** With every slot of the heavy exports taken (none here), a recording download is refused: 503, Retry-After, why in Vietnamese. */
describe('a download while the heavy exports are all under way', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ heavyExportSlots: 0 });
  });
  afterAll(async () => hub.close());

  it('is refused, saying when to come back', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const refused = await hub.api<{ message: string }>('GET', `/api/meetings/${meeting.id}/recordings/1a2b3c4d5e6f/download`, {
      token: await hub.login('thu-ky'),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body.message).toBe('Đang có 0 bản xuất hoặc tải về cùng lúc: thử lại sau 30 giây.');
  });
});
