import { expect, type Browser, type Page } from '@playwright/test';
import { capturePeerConnections } from '../browser.js';
import { addSessionCookie } from '../support/sessionCookie.js';
import { joinFromList } from '../network/labSite.js';

export interface InboundCounters {
  /** framesDecoded per inbound video stream (keyed by ssrc). */
  video: Record<string, number>;
  /** packetsReceived per inbound audio stream. */
  audio: Record<string, number>;
}

export async function inboundCounters(page: Page): Promise<InboundCounters> {
  return page.evaluate(async () => {
    const result = { video: {} as Record<string, number>, audio: {} as Record<string, number> };
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: { type: string; kind: string; ssrc: number; framesDecoded?: number; packetsReceived?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') result.video[s.ssrc] = s.framesDecoded ?? 0;
        else if (s.kind === 'audio') result.audio[s.ssrc] = s.packetsReceived ?? 0;
      });
    }
    return result;
  });
}

/** Number of inbound streams of a kind whose counter grew between two samples. */
export function grown(before: Record<string, number>, after: Record<string, number>): number {
  return Object.entries(after).filter(([ssrc, value]) => value > (before[ssrc] ?? 0)).length;
}

/**
 * Waits until `count` inbound streams of the kind are flowing: counters are sampled twice, one second
 * apart, and each must have grown (a frozen or black stream does not count).
 */
export async function expectFlowing(page: Page, kind: keyof InboundCounters, count: number): Promise<void> {
  await expect.poll(() => flowingCount(page, kind), { intervals: [500] }).toBeGreaterThanOrEqual(count);
}

/** How many inbound streams of the kind grew over one second (frames decoded, or audio packets received). */
export async function flowingCount(page: Page, kind: keyof InboundCounters): Promise<number> {
  const before = await inboundCounters(page);
  await page.waitForTimeout(1000);
  const after = await inboundCounters(page);
  return grown(before[kind], after[kind]);
}

/** The sample accounts' password (prisma/seed.ts). */
const password = 'hop-truc-tuyen';

export async function login(port: number, username: string): Promise<{ token: string; user: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; user: unknown };
}

export async function apiCall<T>(port: number, username: string, method: string, path: string, body?: unknown): Promise<T> {
  const { token } = await login(port, username);
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Schedules a meeting chaired by the sample chair (host site UBND-TINH) and, by default, starts it. */
export async function createMeeting(port: number, codes: string[], options: { start?: boolean; title?: string } = {}): Promise<string> {
  const now = Date.now();
  const meeting = await apiCall<{ id: string }>(port, 'chu-toa', 'POST', '/api/meetings', {
    title: options.title ?? `Họp thử nghiệm ${new Date(now).toISOString()}`,
    hostLevel: 'PROVINCIAL',
    scheduledStart: new Date(now).toISOString(),
    scheduledEnd: new Date(now + 3_600_000).toISOString(),
    invitedCodes: codes,
  });
  if (options.start ?? true) await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meeting.id}/start`);
  return meeting.id;
}

/** A new browser context signed in as `username`, on `path` (on a screen of `viewport`'s size, if given). */
export async function signedInPage(
  browser: Browser,
  port: number,
  username: string,
  path: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const signedIn = await login(port, username);
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await page.addInitScript(capturePeerConnections);
  await addSessionCookie(context, `http://127.0.0.1:${port}`, signedIn.token);
  await page.goto(`http://127.0.0.1:${port}${path}`);
  return page;
}

/** Signs in as the bridge point's account and joins the meeting from its list of invited meetings. */
export async function openSite(
  browser: Browser,
  port: number,
  meetingId: string,
  site: string,
  query = '',
  state = 'joined',
): Promise<Page> {
  const page = await signedInPage(browser, port, site.toLowerCase(), `/site?${query}`);
  await joinFromList(page, meetingId);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', state);
  return page;
}

/** The sample chair's console, opened on the meeting (joined at the host site). */
export async function openChair(browser: Browser, port: number, meetingId: string, state = 'joined'): Promise<Page> {
  const page = await signedInPage(browser, port, 'chu-toa', '/chair');
  await page.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByTestId('open-meeting').click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', state);
  return page;
}

/** A site's answer to an open roll call: its head count and who reports it, confirmed on its page. */
export async function answerRollCall(page: Page, headCount: string, reporterName: string): Promise<void> {
  const form = page.getByTestId('roll-call-form');
  await form.locator('input[name="headCount"]').fill(headCount);
  await form.locator('input[name="reporterName"]').fill(reporterName);
  await form.getByRole('button', { name: 'Xác nhận' }).click();
  await expect(page.getByTestId('roll-call-confirmed')).toHaveText(`Đã điểm danh: ${headCount} đại biểu`);
}

/** packetsReceived of the audio the page receives from one site (its <audio data-site-code>), or null. */
export async function audioPacketsFrom(page: Page, siteCode: string): Promise<number | null> {
  return page.evaluate(async (code) => {
    const element = document.querySelector<HTMLAudioElement>(`audio[data-site-code="${code}"]`);
    const track = (element?.srcObject as MediaStream | null)?.getAudioTracks()[0];
    if (!track) return null;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const receiver = pc.getReceivers().find((r) => r.track.id === track.id);
      if (!receiver) continue;
      let packets: number | null = null;
      (await receiver.getStats()).forEach((s: { type: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp') packets = s.packetsReceived ?? 0;
      });
      return packets;
    }
    return null;
  }, siteCode);
}

/** Whether audio from a site is arriving: its packet counter grows over one second. */
export async function audioArriving(page: Page, siteCode: string): Promise<boolean> {
  const before = await audioPacketsFrom(page, siteCode);
  await page.waitForTimeout(1000);
  const after = await audioPacketsFrom(page, siteCode);
  return before !== null && after !== null && after > before;
}

/** The site codes of every remote tile (large and small) on the page. */
export async function remoteSiteCodes(page: Page): Promise<string[]> {
  const codes = await page
    .locator('[data-testid="main-tile"], [data-testid="site-tile"]')
    .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-site-code') ?? ''));
  return codes.sort();
}

/** What the page sends and receives: simulcast rids of its camera, and the codecs of inbound video. */
export async function videoCodecsAndLayers(page: Page): Promise<{ outboundRids: string[]; inboundVideoCodecs: string[] }> {
  return page.evaluate(async () => {
    const outboundRids: string[] = [];
    const inboundVideoCodecs: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: { type: string; kind: string; rid?: string; codecId?: string }) => {
        if (s.kind !== 'video') return;
        if (s.type === 'outbound-rtp' && s.rid) outboundRids.push(s.rid);
        if (s.type === 'inbound-rtp' && s.codecId) inboundVideoCodecs.push((report.get(s.codecId) as { mimeType: string }).mimeType);
      });
    }
    return { outboundRids: outboundRids.sort(), inboundVideoCodecs };
  });
}

/** Does what asks for a confirmation (window.confirm), accepts or dismisses it, and returns what it asked. */
export async function confirming(page: Page, accept: boolean, act: () => Promise<void>): Promise<string> {
  const [asked] = await Promise.all([
    page.waitForEvent('dialog').then(async (dialog) => {
      const message = dialog.message();
      await (accept ? dialog.accept() : dialog.dismiss());
      return message;
    }),
    act(),
  ]);
  return asked;
}
