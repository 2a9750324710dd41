import path from 'node:path';
import { expect, test, type Page } from './fixtures.js';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { findWorker } from '../../scripts/mediasoup-worker/resolve.mjs';
import type { VideoTile } from '../../shared/protocol.js';
import { startTestHub, type TestHub } from '../integration/helpers.js';
import { removeTestTempDirs } from '../support/tempDirs.js';
import { WorkerFlood } from '../support/workerFlood.js';
import { apiCall, createMeeting, openChair, openSite, signedInPage } from './helpers.js';

/**
 * The meeting first, as the pages show it. The hub runs in this test's process, so the test can load its
 * only worker with real forwarding (`WorkerFlood`) until it runs short: the station says new cameras wait
 * and shows a refused camera as waiting (never a black tile), the meeting pages say the thumbnails are
 * lowered and their thumbnails do show fewer frames than the large tile; when the load goes, all of it
 * comes back by itself.
 */
test.describe.configure({ mode: 'serial' });

let hub: TestHub | undefined;
let farm: CameraSimulatorFarm | undefined;
let flood: WorkerFlood | undefined;

test.beforeAll(async () => {
  process.env.MEDIASOUP_WORKER_BIN ??= findWorker();
  farm = await CameraSimulatorFarm.start({ cameras: 2, rtspBasePort: 20550 });
  hub = await startTestHub({
    workers: 1,
    clientDir: path.join(import.meta.dirname, '..', '..', 'dist', 'client'),
    // the product's marks; three calm readings to take a step back instead of ten
    loadShedding: { highPercent: 85, lowPercent: 60, leaveSamples: 3 },
  });
});

test.afterAll(async () => {
  flood?.stop();
  await hub?.close();
  await farm?.close();
  removeTestTempDirs();
});

const portOf = (testHub: TestHub) => Number(new URL(testHub.url).port);

/** Frames the <video> in the element matching `selector` has presented so far. */
function framesShown(page: Page, selector: string): Promise<number> {
  return page.evaluate(
    (s) => document.querySelector<HTMLVideoElement>(`${s} video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
    selector,
  );
}

/** Waits until the large tile and the thumbnail on `page` each present a new frame: both pictures move. */
async function expectTilesMoving(page: Page): Promise<void> {
  for (const tile of ['[data-testid="main-tile"]', '[data-testid="site-tile"]']) {
    const before = await framesShown(page, tile);
    await expect.poll(() => framesShown(page, tile)).toBeGreaterThan(before);
  }
}

/**
 * What the SFU forwards now to the meeting's pages, from the packets it sends (`currentLayers`): how many of
 * the videos the pages said are thumbnails, and of those shown large, get more than their lowest temporal layer.
 */
async function aboveLowestRate(testHub: TestHub, meetingId: string): Promise<Record<VideoTile, string>> {
  const room = await testHub.media.existingRoom(meetingId);
  const count = { thumbnail: { above: 0, all: 0 }, large: { above: 0, all: 0 } };
  for (const peer of room?.peers ?? [])
    for (const consumer of peer.consumers.values())
      if (consumer.kind === 'video' && !consumer.paused && consumer.currentLayers) {
        count[consumer.appData.tile].all++;
        if ((consumer.currentLayers.temporalLayer ?? 0) > 0) count[consumer.appData.tile].above++;
      }
  return { thumbnail: `${count.thumbnail.above} of ${count.thumbnail.all}`, large: `${count.large.above} of ${count.large.all}` };
}

test('the machine runs short: the station’s new camera waits and says so, the thumbnails show fewer frames and the pages say why; all comes back when load falls', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const testHub = hub!;
  const port = portOf(testHub);
  const register = (n: number) =>
    apiCall<{ id: number }>(port, 'admin', 'POST', '/api/cameras', {
      name: `Quầy tải ${n}`,
      unitName: 'Trung tâm Phục vụ hành chính công tỉnh',
      counter: `Quầy ${n}`,
      ...farm!.registration(n),
    });
  const first = await register(1);
  const second = await register(2);
  // one camera a page: the station pages to the second camera while the hub runs short
  const station = await signedInPage(browser, port, 'giam-sat', '/wall');
  await station.getByTestId('layout-tiles').selectOption('1');
  const tile = (id: number) => station.locator(`[data-testid="camera-tile"][data-camera-id="${id}"]`);
  await expect(tile(first.id)).toHaveAttribute('data-video', 'playing');

  const meetingId = await createMeeting(port, ['XA-01', 'XA-02'], { start: true });
  const chair = await openChair(browser, port, meetingId);
  const sites = [await openSite(browser, port, meetingId, 'XA-01'), await openSite(browser, port, meetingId, 'XA-02')];
  await expect(chair.getByTestId('site-tile')).toHaveCount(1);
  // the chair pins one site large, so the tiles do not swap with the speaker while they are counted
  await chair.locator('[data-testid="site-row"][data-site-code="XA-01"]').getByTestId('spotlight-site').click();
  await expect(chair.locator('[data-testid="main-tile"]')).toHaveAttribute('data-site-code', 'XA-01');
  // before: both tiles move
  await expectTilesMoving(chair);
  await expect.poll(() => aboveLowestRate(testHub, meetingId)).toEqual({ thumbnail: '3 of 3', large: '3 of 3' });
  await expect(chair.getByTestId('load-shedding')).toHaveCount(0);

  flood = await WorkerFlood.start(testHub.media.workerPool.workers[0]!.worker);
  // as many copies as it takes this machine's worker well past the high mark
  await flood.widenUntil(() => testHub.media.loadPercent >= 90);
  await expect(station.getByTestId('load-shedding')).toHaveText(/Máy chủ đang quá tải: camera mới sẽ mở khi tải giảm/);
  // the camera on the next page is not pulled yet: no new pull, its tile says it waits (never a black box)
  await station.getByTestId('page-next').click();
  await expect(tile(second.id).getByTestId('camera-notice')).toHaveAttribute('data-notice', 'wall.waitingForCapacity');
  await expect(tile(second.id).getByTestId('camera-notice')).toHaveText('Đang chờ máy chủ bớt tải');
  // enlarged, its main stream waits too (no pull is started for it), and says so over the picture
  await tile(second.id).click();
  const enlarged = station.getByTestId('camera-enlarged');
  await expect(enlarged.getByTestId('camera-notice')).toHaveAttribute('data-notice', 'wall.waitingForCapacity');

  for (const page of [chair, ...sites]) await expect(page.getByTestId('load-shedding')).toHaveText(/các ô nhỏ tạm giảm số khung hình/);
  // every page's thumbnails now get only their lowest temporal layer (a quarter of the frames); the large tiles more
  await expect.poll(() => aboveLowestRate(testHub, meetingId)).toEqual({ thumbnail: '0 of 3', large: '3 of 3' });

  flood.stop();
  flood = undefined;
  for (const page of [chair, ...sites]) await expect(page.getByTestId('load-shedding')).toHaveCount(0);
  await expect.poll(() => aboveLowestRate(testHub, meetingId)).toEqual({ thumbnail: '3 of 3', large: '3 of 3' });
  await expectTilesMoving(chair);
  await expect(station.getByTestId('load-shedding')).toHaveCount(0);
  // the waiting streams are asked for again by themselves, and play: the enlarged one, then its tile
  await expect(enlarged.getByTestId('camera-main-video')).toHaveAttribute('data-progress', 'playing');
  await expect(enlarged.getByTestId('camera-notice')).toHaveCount(0);
  await enlarged.getByRole('button', { name: 'Đóng' }).click();
  await expect(tile(second.id)).toHaveAttribute('data-video', 'playing');
});
