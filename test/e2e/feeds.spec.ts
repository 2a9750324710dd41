import { expect, test, type Page } from '@playwright/test';
import { hubs } from '../../playwright.config.js';
import { createMeeting, expectFlowing, openChair, openSite, remoteSiteCodes, signedInPage } from './helpers.js';

/**
 * A WHIP encoder in Chromium: a drawn canvas and the fake microphone, sent-only, the offer with all its
 * candidates POSTed with the bearer token (RFC 9725); returns the session's address.
 */
async function pushOverWhip(page: Page, url: string, token: string): Promise<string> {
  return page.evaluate(
    async ({ url, token }) => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const g = canvas.getContext('2d')!;
      let frame = 0;
      setInterval(() => {
        g.fillStyle = `hsl(${(frame += 7) % 360}, 80%, 50%)`;
        g.fillRect(0, 0, 640, 360);
        g.fillStyle = '#fff';
        g.font = '40px sans-serif';
        g.fillText(`Chính phủ ${frame}`, 40, 180);
      }, 40);
      const [video] = canvas.captureStream(25).getVideoTracks();
      const [audio] = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks();
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      pc.addTransceiver(audio!, { direction: 'sendonly' });
      pc.addTransceiver(video!, { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', authorization: `Bearer ${token}` },
        body: pc.localDescription!.sdp,
      });
      if (response.status !== 201) throw new Error(`WHIP answered ${response.status}: ${await response.text()}`);
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
      (window as unknown as { whipPc: RTCPeerConnection }).whipPc = pc;
      return response.headers.get('location')!;
    },
    { url, token },
  );
}

test('the chair adds the Government’s feed; a Chromium WHIP encoder pushes a canvas and a voice, and the sites see and hear it as a site', async ({
  browser,
}) => {
  const meeting = await createMeeting(hubs.standard, ['SO-NV']);
  const chair = await openChair(browser, hubs.standard, meeting);
  const site = await openSite(browser, hubs.standard, meeting, 'SO-NV');

  await chair.getByTestId('feed-name').fill('Chính phủ');
  await chair.getByTestId('add-feed').click();
  const url = (await chair.getByTestId('feed-url').textContent())!;
  const token = (await chair.getByTestId('feed-token').textContent())!;
  const row = chair.getByTestId('feed-row');
  await expect(row).toHaveAttribute('data-presence', 'waiting');
  const code = (await row.getAttribute('data-feed-code'))!;

  const encoder = await signedInPage(browser, hubs.standard, 'chu-toa', '/');
  const location = await pushOverWhip(encoder, url, token);
  await expect
    .poll(() => encoder.evaluate(() => (window as unknown as { whipPc: RTCPeerConnection }).whipPc.connectionState))
    .toBe('connected');
  await expect(row).toHaveAttribute('data-presence', 'connected');

  // the feed is a site: its tile on the others' pages, its video decoded and its voice heard (with the chair's)
  await expect.poll(() => remoteSiteCodes(site)).toEqual([code, 'UBND-TINH'].sort());
  await expectFlowing(site, 'video', 2);
  await expectFlowing(site, 'audio', 2);
  await expect
    .poll(() =>
      site.evaluate(
        (feed) =>
          document.querySelector<HTMLVideoElement>(`[data-site-code="${feed}"] video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
        code,
      ),
    )
    .toBeGreaterThan(10);

  // the encoder ends its session: the feed leaves the meeting and waits
  const ended = await encoder.evaluate(
    async ({ location, token }) => (await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status,
    { location, token },
  );
  expect(ended).toBe(200);
  await expect.poll(() => remoteSiteCodes(site)).toEqual(['UBND-TINH']);
  await expect(row).toHaveAttribute('data-presence', 'waiting');

  for (const page of [chair, site, encoder]) await page.context().close();
});
