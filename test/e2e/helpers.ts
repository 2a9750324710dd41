import { expect, type Browser, type Page } from '@playwright/test';
import { capturePeerConnections } from '../browser.js';

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
  await expect
    .poll(
      async () => {
        const before = await inboundCounters(page);
        await page.waitForTimeout(1000);
        const after = await inboundCounters(page);
        return grown(before[kind], after[kind]);
      },
      { timeout: 45_000, intervals: [500] },
    )
    .toBeGreaterThanOrEqual(count);
}

export async function openSite(browser: Browser, port: number, meeting: string, site: string, query = ''): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(capturePeerConnections);
  await page.goto(`http://127.0.0.1:${port}/?meeting=${meeting}&site=${site}${query}`);
  // The site list arrives from the REST API; wait for this site to be selectable, then join.
  await expect(page.locator(`select[name="bridgePoint"] option[value="${site}"]`)).toHaveCount(1);
  await page.locator('select[name="bridgePoint"]').selectOption(site);
  await page.getByRole('button', { name: 'Tham gia' }).click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  return page;
}

/** The site codes of every remote tile (large and small) on the page. */
export async function remoteSiteCodes(page: Page): Promise<string[]> {
  const codes = await page.locator('[data-testid="main-tile"], [data-testid="site-tile"]').evaluateAll((tiles) =>
    tiles.map((t) => t.getAttribute('data-site-code') ?? ''),
  );
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
