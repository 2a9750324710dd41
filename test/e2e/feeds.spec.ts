import { expect, test, type Page } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { pushTestPattern } from '../support/testEncoder.js';
import { apiCall, createMeeting, expectFlowing, openChair, openSite, remoteSiteCodes, signedInPage } from './helpers.js';

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

/** Frames the page has shown of a site's tile (0 when it has no tile or no picture yet). */
const tileFrames = (page: Page, code: string) =>
  page.evaluate(
    (site) => document.querySelector<HTMLVideoElement>(`[data-site-code="${site}"] video`)?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
    code,
  );

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
  await expect.poll(() => tileFrames(site, code)).toBeGreaterThan(10);

  // the chair lets the feed present: its picture is the content on the site's page
  await chair.getByTestId('feed-present').click();
  await expect(site.getByTestId('content-tile')).toHaveAttribute('data-site-code', code);
  await expect
    .poll(() => site.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="content-tile"] video')?.videoWidth ?? 0))
    .toBe(640);

  // the encoder ends its session: the feed leaves the meeting and waits (and the floor is free)
  const ended = await encoder.evaluate(
    async ({ location, token }) => (await fetch(location, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status,
    { location, token },
  );
  expect(ended).toBe(200);
  await expect.poll(() => remoteSiteCodes(site)).toEqual(['UBND-TINH']);
  await expect(row).toHaveAttribute('data-presence', 'waiting');
  await expect(site.getByTestId('content-tile')).toHaveCount(0);
});

test('an RTMP encoder (H.264 without B-frames) and an SRT one (with B-frames, transcoded) each appear as a site the others see and hear', async ({
  browser,
}) => {
  const meeting = await createMeeting(hubs.standard, ['SO-NV']);
  const site = await openSite(browser, hubs.standard, meeting, 'SO-NV');
  const feeds = [];
  for (const kind of ['rtmp', 'srt'] as const)
    feeds.push(
      await apiCall<{ url: string; code: string }>(hubs.standard, 'chu-toa', 'POST', `/api/meetings/${meeting}/ingests`, {
        name: kind === 'rtmp' ? 'Chính phủ (RTMP)' : 'Bộ Nội vụ (SRT)',
        kind,
      }),
    );
  const [rtmp, srt] = feeds as [(typeof feeds)[0], (typeof feeds)[0]];
  // hardware encoders: a test pattern with a tone each (H.264 + AAC), in real time
  const encoders = [
    pushTestPattern(rtmp.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: 90 }),
    pushTestPattern(srt.url, { format: 'mpegts', bFrames: 3, toneHz: 660, seconds: 90 }),
  ];
  try {
    await expect.poll(() => remoteSiteCodes(site)).toEqual([rtmp.code, srt.code].sort());
    for (const code of [rtmp.code, srt.code]) await expect.poll(() => tileFrames(site, code)).toBeGreaterThan(25);
    await expectFlowing(site, 'video', 2);
    await expectFlowing(site, 'audio', 2);
  } finally {
    for (const process of encoders) process.kill('SIGKILL');
  }
  await expect.poll(() => remoteSiteCodes(site)).toEqual([]);
});
