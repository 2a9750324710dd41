import { expect, test, type Page } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import type { RoomConsumerCounts } from '../../media-server/index.js';
import { apiCall, audioArriving, createMeeting, flowingCount, openSite } from './helpers.js';

/** What the SFU holds and forwards for one site as a viewer (GET /api/meetings/:id/media). */
async function consumersOf(meetingId: string, code: string): Promise<RoomConsumerCounts | undefined> {
  const { sites } = await apiCall<{ sites: Array<{ code: string; consumers: RoomConsumerCounts }> }>(
    hubs.standard,
    'chu-toa',
    'GET',
    `/api/meetings/${meetingId}/media`,
  );
  return sites.find((s) => s.code === code)?.consumers;
}

/** How many inbound videos of the page present new frames over a second. */
const videosFlowing = (page: Page) => flowingCount(page, 'video');

/** The sites whose thumbnails are on the page now. */
const thumbnails = (page: Page) => page.getByTestId('site-tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-site-code')));

test('a page receives only the videos it shows, and pages through the others with paused consumers', async ({ browser }) => {
  const meeting = await createMeeting(hubs.standard, ['SO-NV', 'XA-01', 'XA-02', 'XA-03']);
  // the others keep their microphones off, so the large tile stays where it is (no active speaker to follow)
  const others = [];
  for (const site of ['XA-01', 'XA-02', 'XA-03']) {
    const page = await openSite(browser, hubs.standard, meeting, site);
    await page.getByTestId('toggle-mic').click();
    others.push(page);
  }
  // the viewer shows one thumbnail at a time (`?tiles=1`): the large tile, one thumbnail, one site listed only
  const viewer = await openSite(browser, hubs.standard, meeting, 'SO-NV', 'tiles=1');

  await expect(viewer.getByTestId('site-roster').locator('li')).toHaveCount(3);
  await expect(viewer.getByTestId('tiles-page')).toHaveText('Trang 1/2');
  const first = await thumbnails(viewer);
  expect(first).toHaveLength(1);
  await expect.poll(() => consumersOf(meeting, 'SO-NV')).toMatchObject({ video: 2, forwardedVideo: 2 });
  await expect.poll(() => videosFlowing(viewer)).toBe(2);
  // the site only listed is not received at all
  const listedOnly = viewer.getByTestId('site-roster').locator('li[data-on-screen="false"]');
  await expect(listedOnly).toHaveCount(1);

  // the next page: the first thumbnail's consumer is paused in the SFU, the listed site's is created
  await viewer.getByTestId('tiles-next').click();
  await expect.poll(() => thumbnails(viewer)).not.toEqual(first);
  await expect.poll(() => consumersOf(meeting, 'SO-NV')).toMatchObject({ video: 3, forwardedVideo: 2 });
  await expect.poll(() => videosFlowing(viewer)).toBe(2);

  // and back: resumed, not created again
  await viewer.getByTestId('tiles-previous').click();
  await expect.poll(() => thumbnails(viewer)).toEqual(first);
  await expect.poll(() => consumersOf(meeting, 'SO-NV')).toMatchObject({ video: 3, forwardedVideo: 2 });
  await expect.poll(() => videosFlowing(viewer)).toBe(2);
});

test('at most three microphones reach a page, the loudest; a muted one is not received', async ({ browser }) => {
  const talkers = ['XA-04', 'XA-05', 'XA-06', 'XA-07'];
  const meeting = await createMeeting(hubs.standard, ['SO-TC', ...talkers]);
  const viewer = await openSite(browser, hubs.standard, meeting, 'SO-TC', 'tiles=1');
  const pages = new Map<string, Page>();
  for (const site of talkers) pages.set(site, await openSite(browser, hubs.standard, meeting, site, 'tiles=1'));

  // four unmuted sites speak at once: the viewer holds four audio consumers, the SFU forwards three
  await expect.poll(() => consumersOf(meeting, 'SO-TC')).toMatchObject({ audio: 4, forwardedAudio: 3 });
  const arriving = async () => (await Promise.all(talkers.map((code) => audioArriving(viewer, code)))).filter(Boolean).length;
  await expect.poll(arriving).toBe(3);

  // one site mutes: its microphone is no longer consumed, and the other three all flow
  await pages.get('XA-04')!.getByTestId('toggle-mic').click();
  await expect(viewer.getByTestId('site-roster').locator('li[data-site-code="XA-04"]')).toHaveAttribute('data-mic', 'off');
  await expect.poll(() => consumersOf(meeting, 'SO-TC')).toMatchObject({ audio: 3, forwardedAudio: 3 });
  for (const code of ['XA-05', 'XA-06', 'XA-07']) await expect.poll(() => audioArriving(viewer, code)).toBe(true);
});

/** The simulcast layers (rids) of the page's camera that sent bytes over a second. */
async function layersSending(page: Page): Promise<string[]> {
  const sample = () =>
    page.evaluate(async () => {
      const sent: Record<string, number> = {};
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((s: { type: string; kind?: string; rid?: string; bytesSent?: number }) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid) sent[s.rid] = s.bytesSent ?? 0;
        });
      }
      return sent;
    });
  const before = await sample();
  await page.waitForTimeout(1000);
  const after = await sample();
  return Object.keys(after)
    .filter((rid) => after[rid]! > (before[rid] ?? 0))
    .sort();
}

test('a camera encodes only the layers its viewers receive (dynacast), following the size of the large tile', async ({ browser }) => {
  const meeting = await createMeeting(hubs.standard, ['SO-XD', 'XA-08']);
  const publisher = await openSite(browser, hubs.standard, meeting, 'XA-08');
  // nobody receives its camera yet: only the lowest layer is encoded
  await expect.poll(() => layersSending(publisher)).toEqual(['r0']);

  // a viewer shows it large (960×540 on a 1280×720 window): the top layer
  const viewer = await openSite(browser, hubs.standard, meeting, 'SO-XD');
  await expect(viewer.getByTestId('main-tile')).toHaveAttribute('data-site-code', 'XA-08');
  await expect.poll(() => layersSending(publisher)).toEqual(['r0', 'r1', 'r2']);
  // the viewer's window narrows: its large tile is drawn 320 pixels high (the stage's least), the middle layer
  await viewer.setViewportSize({ width: 480, height: 720 });
  await expect.poll(() => layersSending(publisher)).toEqual(['r0', 'r1']);
  // and wide again: the top layer comes back
  await viewer.setViewportSize({ width: 1280, height: 720 });
  await expect.poll(() => layersSending(publisher)).toEqual(['r0', 'r1', 'r2']);
  // the viewer leaves: nobody receives it, the lowest layer only
  await viewer.getByTestId('leave').click();
  await expect.poll(() => layersSending(publisher)).toEqual(['r0']);
});
