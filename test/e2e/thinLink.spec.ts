import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from './fixtures.js';
import { firewalls } from '../network/firewalls.js';
import { startLabHub, type LabHub } from '../network/labHub.js';
import { joinFromList, launchSiteBrowser, signInThroughForm, sitePage } from '../network/labSite.js';
import { NetworkLab } from '../network/NetworkLab.js';

/**
 * A commune on a thin link: everything the hub sends the site is policed to 1 Mbit/s inside its
 * namespace (nftables `limit rate`, this kernel has no tc qdiscs). The province's site shows large on
 * its page; the SFU's bandwidth estimate for the site must lower the large tile to a lower simulcast
 * layer rather than let it freeze, and keep its audio clear; when the limit is lifted it climbs back.
 */
test.describe.configure({ mode: 'serial' });

let lab: NetworkLab;
let hub: LabHub;
const browsers: Browser[] = [];
// made by the test itself: Playwright also loads this file in its runner process, where no afterAll runs
let clipDir: string | undefined;

test.afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await hub?.stop();
  lab?.close();
  if (clipDir) fs.rmSync(clipDir, { recursive: true, force: true });
});

/**
 * A busy 720p picture (test pattern under moving noise) for the province's camera: Chromium's own fake
 * camera is so simple that its top layer needs well under 1 Mbit/s, and would pass through the thin link.
 */
function busyCameraClip(): string {
  clipDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hub-thin-clip-'));
  const file = path.join(clipDir, 'busy-720p.y4m');
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=1280x720:r=25',
    '-vf',
    'noise=alls=25:allf=t+u',
    '-t',
    '2',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  return file;
}

interface Received {
  frameHeight: number;
  framesDecoded: number;
  audioPackets: number;
  audioLost: number;
}

/**
 * The large tile's video (the page's only remote video shown) and the audio it receives. The video is the
 * inbound stream whose track a <video> element plays: mediasoup's bandwidth probator is an inbound video
 * stream too, never decoded, and its stats can come after the tile's in the report.
 */
function received(page: Page): Promise<Received> {
  return page.evaluate(async () => {
    const result = { frameHeight: 0, framesDecoded: 0, audioPackets: 0, audioLost: 0 };
    const shown = new Set(
      [...document.querySelectorAll('video')].flatMap((video) =>
        video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks().map((track) => track.id) : [],
      ),
    );
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach(
        (s: {
          type: string;
          kind?: string;
          trackIdentifier?: string;
          frameHeight?: number;
          framesDecoded?: number;
          packetsReceived?: number;
          packetsLost?: number;
        }) => {
          if (s.type !== 'inbound-rtp') return;
          if (s.kind === 'video' && shown.has(s.trackIdentifier ?? '')) {
            result.frameHeight = s.frameHeight ?? 0;
            result.framesDecoded += s.framesDecoded ?? 0;
          } else if (s.kind === 'audio') {
            result.audioPackets += s.packetsReceived ?? 0;
            result.audioLost += s.packetsLost ?? 0;
          }
        },
      );
    }
    return result;
  });
}

/**
 * The height of the top simulcast layer the sending page encodes now (its tallest outbound video layer). Chromium
 * lowers it by itself when its machine runs short (CPU adaptation); a receiver's smaller picture is the SFU's
 * choice of a lower layer only while the sender's top layer is still tall.
 */
function sentTopHeight(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let tallest = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; frameHeight?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') tallest = Math.max(tallest, s.frameHeight ?? 0);
      });
    }
    return tallest;
  });
}

/**
 * Watched until 25 more pictures were decoded and 100 more audio packets arrived (a count, whatever the
 * time it takes): the tallest picture seen meanwhile, and the audio's loss over those packets.
 */
async function whileWatching(page: Page): Promise<{ tallest: number; audioLossPercent: number }> {
  const start = await received(page);
  let tallest = start.frameHeight;
  let now = start;
  await expect
    .poll(
      async () => {
        now = await received(page);
        tallest = Math.max(tallest, now.frameHeight);
        return now.framesDecoded - start.framesDecoded >= 25 && now.audioPackets - start.audioPackets >= 100;
      },
      { intervals: [500] },
    )
    .toBe(true);
  const audioPackets = now.audioPackets - start.audioPackets;
  const lost = now.audioLost - start.audioLost;
  return { tallest, audioLossPercent: (100 * lost) / Math.max(1, audioPackets + lost) };
}

test('a site whose downlink is policed to 1 Mbit/s gets the low layer of the large tile and clear audio, and the top layer back when the limit goes', async () => {
  test.setTimeout(300_000);
  lab = NetworkLab.create({ hosts: ['hub', 'province', 'commune'] });
  hub = await startLabHub(lab, 'hub');
  const meetingId = await hub.startMeeting('Họp với xã đường truyền yếu', ['SO-NV', 'XA-09']);

  const pages = new Map<string, Page>();
  for (const [host, code] of [
    ['province', 'SO-NV'],
    ['commune', 'XA-09'],
  ] as const) {
    const camera = host === 'province' ? [`--use-file-for-fake-video-capture=${busyCameraClip()}`] : [];
    const browser = await launchSiteBrowser(lab, host, hub.caCertFile, camera);
    browsers.push(browser);
    const page = await sitePage(browser);
    await signInThroughForm(page, hub.url, code.toLowerCase());
    await joinFromList(page, meetingId);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
    pages.set(code, page);
  }
  const commune = pages.get('XA-09')!;
  const province = pages.get('SO-NV')!;
  // on a free link the province's site comes in large at the top layer (1280×720)
  await expect.poll(async () => (await received(commune)).frameHeight, { timeout: 60_000 }).toBe(720);

  lab.firewall('commune', firewalls.downlinkLimit(hub.address, 1_000_000));
  // the SFU's estimate falls: the large tile drops to a lower layer within a while, and stays there. The
  // province still encodes its 720-line top layer meanwhile, so the smaller picture is the SFU's layer choice
  // and not the sender's own adaptation to a busy machine (which lowers every receiver's picture for a while).
  await expect
    .poll(
      async () => {
        const sentBefore = await sentTopHeight(province);
        const height = (await received(commune)).frameHeight;
        const sentAfter = await sentTopHeight(province);
        return { commune: height <= 360 ? 'a low layer' : `${height} lines`, provinceSends: Math.min(sentBefore, sentAfter) };
      },
      { timeout: 60_000 },
    )
    .toEqual({ commune: 'a low layer', provinceSends: 720 });
  // not frozen: pictures keep coming, none above the low layer; audio clear: it arrives, with little loss
  const thin = await whileWatching(commune);
  expect(thin.tallest).toBeGreaterThan(0);
  expect(thin.tallest).toBeLessThanOrEqual(360);
  expect(thin.audioLossPercent).toBeLessThan(5);

  lab.clearFirewall('commune');
  await expect.poll(async () => (await received(commune)).frameHeight, { timeout: 90_000 }).toBe(720);
});
