import { expect, test } from './fixtures.js';
import { CameraSimulatorFarm, sampleCounterNames } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { sampleBridgePoints } from '../../prisma/index.js';
import { addSessionCookie } from '../support/sessionCookie.js';
import { apiCall, login } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: exactly the 37 sample counters on its wall
const ownHub = hubOfThisFile();
/** Opened again and again: each opening finds every tile playing, not only the first. */
const opens = 5;

// How soon a warm wall plays is measured by `npm run bench:wall-opening` (BENCHMARKS.md); this checks that it does.
test('the wall of the 37 sample counters plays all 36 H.264 tiles, five openings in a row; no tile is ever a black box', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const communes = sampleBridgePoints.filter((p) => p.level === 'COMMUNE').map((p) => p.name.replace(/^UBND /, ''));
  const names = sampleCounterNames(communes);
  const farm = await CameraSimulatorFarm.start({ cameras: 37, rtspBasePort: 20000, h265Cameras: [37], ptzCameras: [], names });
  const ids: number[] = [];
  try {
    for (const i of farm.cameras.keys()) {
      const { name, unitName, counter } = names(i + 1);
      const added = await apiCall<{ id: number }>(ownHub().port, 'admin', 'POST', '/api/cameras', {
        name,
        unitName,
        counter,
        ...farm.registration(i + 1),
        // the wall's cameras are pinned: their streams stay warm, so a station opens onto moving pictures
        pinned: true,
      });
      ids.push(added.id);
    }
    await expect
      .poll(
        async () =>
          (await apiCall<Array<{ status: string }>>(ownHub().port, 'giam-sat', 'GET', '/api/cameras')).filter((c) => c.status === 'ONLINE')
            .length,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThanOrEqual(36);
    const { token } = await login(ownHub().port, 'giam-sat');
    for (let n = 0; n < opens; n++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      await addSessionCookie(context, `http://127.0.0.1:${ownHub().port}`, token);
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${ownHub().port}/wall`);
      // the default layout: 36 tiles grouped by unit (the centre's twelve and 24 communes; the H.265 camera on page 2)
      await expect(page.getByTestId('camera-tile')).toHaveCount(36);
      await expect
        .poll(
          () =>
            page.evaluate(
              () =>
                [...document.querySelectorAll<HTMLVideoElement>('[data-testid="camera-video"]')].filter(
                  (v) => v.getVideoPlaybackQuality().totalVideoFrames > 0,
                ).length,
            ),
          { timeout: 60_000, intervals: [50] },
        )
        .toBe(36);
      // a tile without a picture says why (here: none is without)
      const dark = await page.evaluate(
        () =>
          [...document.querySelectorAll('[data-testid="camera-tile"]')].filter(
            (tile) =>
              (tile.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0) === 0 &&
              !tile.querySelector('[data-testid="camera-notice"], [data-testid="camera-message"]'),
          ).length,
      );
      expect(dark).toBe(0);
      if (n === 0) {
        // page 2: the H.265 camera says it cannot be shown, and why
        await page.getByTestId('page-next').click();
        await expect(page.getByTestId('camera-tile')).toHaveCount(1);
        await expect(page.getByTestId('camera-message')).toContainText('H265');
      }
      await context.close();
    }
  } finally {
    for (const id of ids) await apiCall(ownHub().port, 'admin', 'DELETE', `/api/cameras/${id}`);
    await farm.close();
  }
});
