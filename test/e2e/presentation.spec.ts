import { expect, test, type Page } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { createMeeting, openSite } from './helpers.js';

/**
 * The presenter's "screen" is a 1920×1080 canvas (its getDisplayMedia answers with the canvas's
 * stream): a red and a blue square where a viewer can find them, a band of 1-pixel black and white
 * lines that only full resolution keeps apart, fine text, and a counter redrawn 5 times a second
 * until `window.slideStatic` is set (a slide nobody touches).
 */
async function presentCanvasSlide(page: Page): Promise<void> {
  await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1920;
    canvas.height = 1080;
    const g = canvas.getContext('2d')!;
    let frame = 0;
    const draw = () => {
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 1920, 1080);
      g.fillStyle = '#f00';
      g.fillRect(100, 100, 200, 200);
      g.fillStyle = '#00f';
      g.fillRect(1620, 780, 200, 200);
      g.fillStyle = '#000';
      for (let x = 800; x < 1000; x += 2) g.fillRect(x, 500, 1, 100);
      g.font = '12px sans-serif';
      for (let line = 0; line < 20; line++)
        g.fillText(`Báo cáo tình hình kinh tế – xã hội quý IV, dòng ${line + 1}: số liệu 12.345.678 đồng`, 100, 700 + line * 14);
      g.font = '48px sans-serif';
      g.fillText(`Trang ${++frame}`, 900, 200);
    };
    draw();
    const timer = setInterval(() => {
      if ((window as unknown as { slideStatic?: boolean }).slideStatic) clearInterval(timer);
      else draw();
    }, 200);
    const stream = canvas.captureStream(15);
    navigator.mediaDevices.getDisplayMedia = async () => stream;
  });
  await page.getByTestId('present').click();
  await expect(page.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
}

/** What a viewer's presentation tile decodes: its size, frames so far, and the pixels a test drew. */
async function contentFrame(page: Page) {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="content-tile"] video');
    if (!video || video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(video, 0, 0);
    const at = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
    // the lines band: neighbouring columns differ by about 255 at full resolution, by 0 once halved
    const band = g.getImageData(800, 550, 200, 1).data;
    let contrast = 0;
    for (let x = 1; x < 200; x++) contrast += Math.abs(band[x * 4]! - band[(x - 1) * 4]!);
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      frames: video.getVideoPlaybackQuality().totalVideoFrames,
      red: at(200, 200),
      blue: at(1720, 880),
      lineContrast: contrast / 199,
    };
  });
}

const close = (rgb: number[] | undefined, expected: number[]) => rgb !== undefined && rgb.every((v, i) => Math.abs(v - expected[i]!) < 60);

test('a site presents a 1920×1080 slide: the others decode it whole and moving, a late joiner sees the static slide; one presenter at a time', async ({
  browser,
}) => {
  const meeting = await createMeeting(hubs.standard, ['SO-NV', 'UBND-TINH', 'XA-01']);
  const presenter = await openSite(browser, hubs.standard, meeting, 'SO-NV');
  const viewer = await openSite(browser, hubs.standard, meeting, 'UBND-TINH');

  await presentCanvasSlide(presenter);
  await expect(viewer.getByTestId('content-tile')).toHaveAttribute('data-site-code', 'SO-NV');
  // full resolution, the squares where they were drawn, the 1-pixel lines still apart
  await expect
    .poll(async () => {
      const frame = await contentFrame(viewer);
      return frame && { size: `${frame.width}x${frame.height}`, squares: close(frame.red, [255, 0, 0]) && close(frame.blue, [0, 0, 255]) };
    })
    .toEqual({ size: '1920x1080', squares: true });
  await expect.poll(async () => (await contentFrame(viewer))?.lineContrast).toBeGreaterThan(100);
  // the changing slide keeps coming (its frame rate is the benches' to measure, not a test's)
  const before = (await contentFrame(viewer))!.frames;
  await expect.poll(async () => (await contentFrame(viewer))!.frames).toBeGreaterThan(before + 20);

  // a second presenter is refused while the floor is held
  await viewer.getByTestId('present').click();
  await expect(viewer.getByTestId('meeting-error')).toContainText('đang trình chiếu');
  await expect(viewer.getByTestId('present')).toHaveAttribute('aria-pressed', 'false');

  // the slide stops changing; a site joining now still gets a picture (its key frame is asked for until sent)
  await presenter.evaluate(() => {
    (window as unknown as { slideStatic?: boolean }).slideStatic = true;
  });
  await presenter.waitForTimeout(2000);
  const late = await openSite(browser, hubs.standard, meeting, 'XA-01');
  const joined = Date.now();
  await expect
    .poll(
      async () => {
        const frame = await contentFrame(late);
        return frame !== null && frame.frames > 0 && frame.width === 1920 && close(frame.red, [255, 0, 0]);
      },
      { intervals: [100] },
    )
    .toBe(true);
  console.log(`late joiner: static slide decoded ${Date.now() - joined} ms after joining`);

  // the presenter stops: the floor is free, and the other site presents (Chromium's fake screen)
  await presenter.getByTestId('present').click();
  await expect(viewer.getByTestId('content-tile')).toHaveCount(0);
  await viewer.getByTestId('present').click();
  await expect(viewer.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
  await expect(presenter.getByTestId('content-tile')).toHaveAttribute('data-site-code', 'UBND-TINH');
  await expect.poll(async () => (await contentFrame(presenter))?.frames ?? 0).toBeGreaterThan(0);
});
