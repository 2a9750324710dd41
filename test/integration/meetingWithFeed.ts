import type { IngestCreatedDto } from '../../shared/meetings.js';
import { keepPushing } from '../support/testEncoder.js';
import { nextEvent, request, type TestHub, type TestSocket } from './helpers.js';

/**
 * A live meeting of SO-NV with the Government's feed pushing a test pattern and a 440 Hz tone over RTMP: the
 * only one heard, so the active speaker and what the program shows. The site's socket follows the meeting's
 * state. The encoder pushes again until the hub's listener takes it, as a hardware one does; `stop()` it after.
 */
export async function meetingWithFeed(
  hub: TestHub,
  chairToken: string,
  pushSeconds: number,
): Promise<{ meetingId: string; feed: IngestCreatedDto; site: TestSocket; encoder: { stop(): void } }> {
  const meeting = await hub.createMeeting(['SO-NV']);
  await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chairToken });
  const { body: feed } = await hub.api<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
    token: chairToken,
    body: { name: 'Chính phủ', kind: 'rtmp' },
  });
  const site = await hub.connect('so-nv');
  await request(site, 'meeting:join', { meetingId: meeting.id });
  const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
  const encoder = keepPushing(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: pushSeconds });
  await joined;
  return { meetingId: meeting.id, feed, site, encoder };
}
