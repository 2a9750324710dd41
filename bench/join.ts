/**
 * Join latency: from clicking "Vào cuộc họp" (the preview's join) to the first decoded remote video frame, through the SFU,
 * next to a direct RTCPeerConnection loopback in the same browser (getUserMedia → offer/answer →
 * first decoded frame). Median of N runs each.
 *   npm run bench:join [-- --runs 10]
 */
import { chromium, type Page } from '@playwright/test';
import { capturePeerConnections as capture, chromiumArgs, chromiumPath } from '../test/browser.js';
import { clickToFirstFrameMs, installFirstFrameProbe, loopbackToFirstFrameMs } from './firstFrame.js';
import { LoadHub } from './load/LoadHub.js';
import { startMeeting } from './meeting.js';
import { addSessionCookie } from '../test/support/sessionCookie.js';
import { signIn } from './signIn.js';
import { median } from './stats.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
// the hub as bench:load runs it: dist/ in its own process, loopback media, TLS and TURN off (the loopback
// baseline, as measured before HTTPS, TURN and LAN media became the defaults), on a free port
const hub = await LoadHub.start({ sites: 2, cameras: false, forwardAll: false });
const { base } = hub;

/** Signs the page in as the site's account and waits for the meeting's "Tham gia" button. */
async function openJoinForm(page: Page, site: string): Promise<void> {
  const signedIn = await signIn(base, site.toLowerCase());
  await addSessionCookie(page.context(), base, signedIn.token);
  await page.goto(`${base}/site`);
  await page.locator(`[data-meeting-id="${meetingId}"] button`).waitFor();
}

async function sfuJoinMs(page: Page, site: string): Promise<number> {
  await openJoinForm(page, site);
  return clickToFirstFrameMs(page, meetingId);
}

async function loopbackMs(page: Page): Promise<number> {
  await page.goto(`${base}/api/health`);
  return loopbackToFirstFrameMs(page);
}

// a live meeting chaired from UBND-TINH, inviting the joiner's site
const meetingId = await startMeeting(base, ['UBND-TINH', 'SO-NV'], 'Đo thời gian vào họp');
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  // A site already in the meeting, sending video, for each joiner to receive.
  const hostContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const host = await hostContext.newPage();
  await openJoinForm(host, 'UBND-TINH');
  await host.getByRole('button', { name: 'Tham gia' }).click();
  await host.locator('[data-testid="connection-state"][data-state="joined"]').waitFor();

  const sfu: number[] = [];
  const loopback: number[] = [];
  const probedPage = async () => {
    const page = await (await browser.newContext({ permissions: ['camera', 'microphone'] })).newPage();
    await page.addInitScript(capture);
    await page.addInitScript(installFirstFrameProbe);
    return page;
  };
  for (let i = 0; i < runs; i++) {
    const joiner = await probedPage();
    sfu.push(await sfuJoinMs(joiner, 'SO-NV'));
    await joiner.context().close();
    const baseline = await probedPage();
    loopback.push(await loopbackMs(baseline));
    await baseline.context().close();
  }
  const round = (n: number) => Math.round(n);
  console.log(JSON.stringify({ runs, sfuJoinToFirstFrameMs: sfu.map(round), loopbackToFirstFrameMs: loopback.map(round) }));
  console.log(`median SFU join → first decoded frame: ${round(median(sfu))} ms`);
  console.log(`median direct loopback → first decoded frame: ${round(median(loopback))} ms`);
  console.log(`ratio: ${(median(sfu) / median(loopback)).toFixed(2)}`);
} finally {
  await browser.close();
  await hub.stop();
}
