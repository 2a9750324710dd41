import { expect, test } from './fixtures.js';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { apiCall, signedInPage } from './helpers.js';
import { hubOfThisFile } from './hubProcess.js';

// a hub of its own: its cameras would show on the wall of every other spec's station
const ownHub = hubOfThisFile();
const units = [
  'Trung tâm Phục vụ hành chính công tỉnh',
  'Trung tâm Phục vụ hành chính công tỉnh',
  'Trung tâm Phục vụ hành chính công tỉnh',
  'Xã Mỹ Hòa Hưng',
  'Xã Mỹ Hòa Hưng',
  'Xã Bình Mỹ',
];

test('the two central stations keep their own wall layouts: tiles, grouped by unit, a carousel through the pages', async ({ browser }) => {
  test.setTimeout(180_000);
  const farm = await CameraSimulatorFarm.start({ cameras: units.length, rtspBasePort: 19600, ptzCameras: [] });
  const ids: number[] = [];
  try {
    for (const [i, unitName] of units.entries()) {
      const camera = await apiCall<{ id: number }>(ownHub().port, 'admin', 'POST', '/api/cameras', {
        name: `Bố cục ${i + 1}`,
        unitName,
        counter: `Quầy ${i + 1}`,
        ...farm.registration(i + 1),
      });
      ids.push(camera.id);
    }
    const office = await signedInPage(browser, ownHub().port, 'giam-sat-vp', '/wall');
    const homeAffairs = await signedInPage(browser, ownHub().port, 'giam-sat-nv', '/wall');
    await expect(office.getByTestId('camera-tile')).toHaveCount(units.length);

    // the Office's station: 4 tiles, by unit, paging every 10 s — the centre's three, then the two communes
    await office.getByTestId('layout-tiles').selectOption('4');
    await office.getByTestId('layout-carousel').selectOption('10');
    const shown = () =>
      office.getByTestId('camera-tile').evaluateAll((tiles) => tiles.map((t) => Number(t.getAttribute('data-camera-id'))));
    await expect.poll(shown).toEqual(ids.slice(0, 3));
    await expect(office.getByTestId('page-number')).toHaveAttribute('data-pages', '2');
    await expect(office.getByTestId('page-number')).toHaveAttribute('data-page', '2');
    await expect.poll(shown).toEqual(ids.slice(3));
    // the pictures on the page play (only the page on screen is watched)
    await expect
      .poll(() =>
        office.evaluate(
          () =>
            [...document.querySelectorAll<HTMLVideoElement>('[data-testid="camera-video"]')].filter(
              (v) => v.getVideoPlaybackQuality().totalVideoFrames > 0,
            ).length,
        ),
      )
      .toBe(3);

    // the Department of Home Affairs' station is untouched: every camera on one page
    await homeAffairs.reload();
    await expect(homeAffairs.getByTestId('camera-tile')).toHaveCount(units.length);
    await expect(homeAffairs.getByTestId('layout-tiles')).toHaveValue('36');
    // and the Office's layout is still its own after a reload
    await office.reload();
    await expect(office.getByTestId('layout-tiles')).toHaveValue('4');
    await expect(office.getByTestId('layout-carousel')).toHaveValue('10');
    await office.context().close();
    await homeAffairs.context().close();
  } finally {
    for (const id of ids) await apiCall(ownHub().port, 'admin', 'DELETE', `/api/cameras/${id}`);
    await farm.close();
  }
});
