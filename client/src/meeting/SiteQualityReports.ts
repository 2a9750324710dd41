import type { SiteQuality } from '../../../shared/meetings.js';

/** How long a site's last report stands when no node reports it again (it left, or its node went). */
const staleAfterMs = 10_000;

/**
 * The sites' uplink quality as the chair sees it: each hub node reports the sites whose media it
 * receives, so the reports are merged, and a site unreported for 10 s is dropped.
 */
export class SiteQualityReports {
  readonly #sites = new Map<string, { site: SiteQuality; at: number }>();

  /** One node's report in; the merged picture out. */
  reported(sites: SiteQuality[], now = Date.now()): SiteQuality[] {
    for (const site of sites) this.#sites.set(site.code, { site, at: now });
    for (const [code, { at }] of this.#sites) if (now - at > staleAfterMs) this.#sites.delete(code);
    return [...this.#sites.values()].map(({ site }) => site);
  }
}
