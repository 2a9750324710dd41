/**
 * Recovery from a dead SFU worker: the chair and two sites in Chromium, each decoding the other two's video;
 * the worker hosting the meeting is killed (SIGKILL) and the time until every page decodes both videos again
 * (no reload: the pages rejoin by themselves) is measured, N times. Then the hub is stopped (SIGTERM) with the
 * three pages in the meeting, and the time until its process is gone is measured.
 *   npm run bench:recovery [-- --runs 5]
 */
import { chromium, type Page } from '@playwright/test';
import { capturePeerConnections as capture, chromiumArgs, chromiumPath, fakeMicrophoneArg } from '../test/browser.js';
import { workerPid } from '../test/support/workerPid.js';
import { LoadHub } from './load/LoadHub.js';
import { startMeeting } from './meeting.js';
import { addSessionCookie } from '../test/support/sessionCookie.js';
import { signIn } from './signIn.js';
import { median } from './stats.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const hub = await LoadHub.start({ sites: 47, cameras: false, forwardAll: false });
const { base } = hub;
const sites = ['UBND-TINH', 'SO-NV', 'SO-TC'];

/** Inbound video streams whose decoded frames grew over 250 ms, on the page's open connections. */
function videosDecoding(page: Page): Promise<number> {
  // no named helpers inside: tsx would wrap them in a __name the page does not have
  return page.evaluate(async () => {
    const samples: Array<Map<string, number>> = [];
    for (let i = 0; i < 2; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const frames = new Map<string, number>();
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((s: { type: string; kind?: string; id: string; framesDecoded?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') frames.set(s.id, s.framesDecoded ?? 0);
        });
      }
      samples.push(frames);
    }
    const [before, after] = samples as [Map<string, number>, Map<string, number>];
    return [...after].filter(([id, n]) => n > (before.get(id) ?? Infinity)).length;
  });
}

async function untilDecoding(page: Page, videos: number, since: number): Promise<number> {
  while ((await videosDecoding(page)) < videos) if (Date.now() - since > 60_000) throw new Error('no video within 60 s');
  return Date.now() - since;
}

// signed in once: a sign-in's scrypt during a recovery would take the CPU the recovery is timed on
const { token: chairToken } = await signIn(base, 'chu-toa');

async function meetingWorkerPid(meetingId: string): Promise<number> {
  const media = (await (
    await fetch(`${base}/api/meetings/${meetingId}/media`, { headers: { authorization: `Bearer ${chairToken}` } })
  ).json()) as {
    routers: Array<{ workerIndex: number }>;
  };
  return workerPid(base, media.routers[0]!.workerIndex);
}

const meetingId = await startMeeting(base, sites, 'Đo thời gian phục hồi');
const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, fakeMicrophoneArg] });
const recoveries: number[] = [];
let stopMs: number | undefined;
let stopped = false;
try {
  const pages: Page[] = [];
  for (const code of sites) {
    const page = await (await browser.newContext({ permissions: ['camera', 'microphone'] })).newPage();
    await page.addInitScript(capture);
    const signedIn = await signIn(base, code === 'UBND-TINH' ? 'chu-toa' : code.toLowerCase());
    await addSessionCookie(page.context(), base, signedIn.token);
    if (code === 'UBND-TINH') {
      await page.goto(`${base}/chair`);
      await page.locator(`[data-meeting-id="${meetingId}"]`).getByTestId('open-meeting').click();
    } else {
      await page.goto(`${base}/site`);
      await page.locator(`[data-meeting-id="${meetingId}"] button`).click();
    }
    pages.push(page);
  }
  for (const page of pages) await untilDecoding(page, 2, Date.now());

  for (let run = 0; run < runs; run++) {
    const pid = await meetingWorkerPid(meetingId);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    // a page still decoding old frames for a moment is not back: wait until the hub has replaced the worker
    while ((await meetingWorkerPid(meetingId).catch(() => pid)) === pid) await new Promise((r) => setTimeout(r, 50));
    const backs = await Promise.all(pages.map((page) => untilDecoding(page, 2, killedAt)));
    recoveries.push(Math.max(...backs));
    console.error(`run ${run + 1}: every page decoding both videos again ${Math.max(...backs)} ms after the kill (${backs.join(', ')})`);
  }
  const stoppedAt = Date.now();
  stopped = true;
  await hub.stop();
  stopMs = Date.now() - stoppedAt;
} finally {
  await browser.close();
  if (!stopped) await hub.stop();
}
console.log(
  JSON.stringify({
    runs,
    videoBackAfterWorkerKillMs: { median: median(recoveries), max: Math.max(...recoveries), all: recoveries },
    stopWithThreePagesMs: stopMs,
  }),
);
