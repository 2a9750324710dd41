/**
 * Join latency: from clicking "Tham gia" to the first decoded remote video frame, through the SFU,
 * next to a direct RTCPeerConnection loopback in the same browser (getUserMedia → offer/answer →
 * first decoded frame). Median of N runs each.
 *   npm run bench:join [-- --runs 10]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { capturePeerConnections as capture, chromiumArgs, chromiumPath } from '../test/browser.js';
import { clickToFirstFrameMs, installFirstFrameProbe, loopbackToFirstFrameMs } from './firstFrame.js';
import { signIn } from './signIn.js';
import { median } from './stats.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const port = 3200;
const base = `http://127.0.0.1:${port}`;

/** The hub's data directory, removed when the bench ends. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));

async function startHub() {
  // a hub left from an interrupted run would answer the health check below in place of this one
  const occupied = await fetch(`${base}/api/health`).then(
    () => true,
    () => false,
  );
  if (occupied) throw new Error(`${base} already answers: stop the hub left from an earlier run first`);
  const hub = spawn(process.execPath, ['dist/signalling/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${dir}/hub.db`,
      LOG_LEVEL: 'warn',
      SAMPLE_CAMERAS: 'false',
      // the loopback baseline, as measured before HTTPS, TURN and LAN media became the defaults
      TLS: 'off',
      TURN: 'off',
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIA_WEBRTC_SERVER_PORT: 'off',
    },
    stdio: 'inherit',
  });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return hub;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('hub did not start');
}

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

/** A live meeting chaired from UBND-TINH, inviting the joiner's site. */
async function startMeeting(): Promise<string> {
  const { token } = await signIn(base, 'chu-toa');
  const now = Date.now();
  const meeting = await post<{ id: string }>(
    '/api/meetings',
    {
      title: 'Đo thời gian vào họp',
      hostLevel: 'PROVINCIAL',
      scheduledStart: new Date(now).toISOString(),
      scheduledEnd: new Date(now + 3_600_000).toISOString(),
      invitedCodes: ['UBND-TINH', 'SO-NV'],
    },
    token,
  );
  await post(`/api/meetings/${meeting.id}/start`, {}, token);
  return meeting.id;
}

/** Signs the page in as the site's account and waits for the meeting's "Tham gia" button. */
async function openJoinForm(page: Page, site: string): Promise<void> {
  const signedIn = await signIn(base, site.toLowerCase());
  await page.addInitScript((stored) => localStorage.setItem('hub.session', stored), JSON.stringify(signedIn));
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

const hub = await startHub();
const meetingId = await startMeeting();
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
  await new Promise((resolve) => {
    hub.once('exit', resolve);
    hub.kill('SIGTERM');
  });
  fs.rmSync(dir, { recursive: true, force: true });
}
