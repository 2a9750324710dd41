/**
 * Join latency across the province network: from clicking "Vào cuộc họp" (the device preview's join) to the first decoded remote video
 * frame for bridge points on other hosts (network namespaces, as in test/e2e/network.spec.ts) reaching the
 * hub over UDP (A), over TCP with UDP dropped (B), and relayed by the hub's coturn over TLS (C, only TCP to
 * the HTTPS and TURN-over-TLS ports), side by side with a direct RTCPeerConnection loopback in A's browser.
 * The hub runs as `npm start` runs it (HTTPS, TURN on). Median of N runs each.
 *   npm run bench:network [-- --runs 10]
 */
import type { Browser, Page } from '@playwright/test';
import { firewalls } from '../test/network/firewalls.js';
import { addSessionCookie } from '../test/support/sessionCookie.js';
import { hubDefaultPorts, startLabHub } from '../test/network/labHub.js';
import { joinFromList, launchSiteBrowser, sitePage } from '../test/network/labSite.js';
import { NetworkLab } from '../test/network/NetworkLab.js';
import { selectedPaths } from '../test/network/selectedPaths.js';
import { clickToFirstFrameMs, installFirstFrameProbe, loopbackToFirstFrameMs } from './firstFrame.js';
import { median } from './stats.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const sites = [
  { host: 'site-a', code: 'SO-NV', path: 'UDP' },
  { host: 'site-b', code: 'XA-01', path: 'TCP' },
  { host: 'site-c', code: 'XA-02', path: 'relay (TURN over TLS)' },
] as const;

const lab = NetworkLab.create({ hosts: ['hub', ...sites.map((s) => s.host)] });
// stopped by hand: the namespaces and everything running in them (hub, coturn, browsers) go too
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    lab.close();
    process.exit(130);
  });
const browsers: Browser[] = [];
const hub = await startLabHub(lab, 'hub').catch((error: unknown) => {
  lab.close();
  throw error;
});
try {
  lab.firewall('site-b', firewalls.noUdp());
  lab.firewall('site-c', firewalls.onlyTcpTo(hub.address, [hubDefaultPorts.https, hubDefaultPorts.turnTls]));
  const admin = await hub.login('admin');
  await hub.api('PUT', '/api/bridge-points/XA-02/network', { token: admin, body: { iceTransportPolicy: 'relay' } });
  const meeting = { id: await hub.startMeeting('Đo thời gian vào họp qua mạng', ['UBND-TINH', ...sites.map((s) => s.code)]) };
  for (const site of sites) browsers.push(await launchSiteBrowser(lab, site.host, hub.caCertFile));

  /** A page of the site's browser, signed in (the session stored as the sign-in form would), on its meeting list. */
  const openList = async (browser: Browser, username: string): Promise<Page> => {
    const page = await sitePage(browser);
    await page.addInitScript(installFirstFrameProbe);
    await addSessionCookie(page.context(), hub.url, await hub.login(username));
    await page.goto(`${hub.url}/site`);
    await page.locator(`[data-meeting-id="${meeting.id}"] button`).waitFor();
    return page;
  };

  // the host site, sending video for every joiner to receive (on A's host, over UDP)
  const sender = await openList(browsers[0]!, 'ubnd-tinh');
  await joinFromList(sender, meeting.id);
  await sender.locator('[data-testid="connection-state"][data-state="joined"]').waitFor();

  const joins = new Map<string, number[]>(sites.map((s) => [s.code, []]));
  /** How often each path was taken per site: direct/udp, direct/tcp, relay/tcp, relay/tls. */
  const paths = new Map<string, Record<string, number>>(sites.map((s) => [s.code, {}]));
  const loopback: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const [i, site] of sites.entries()) {
      const page = await openList(browsers[i]!, site.code.toLowerCase());
      joins.get(site.code)!.push(await clickToFirstFrameMs(page, meeting.id));
      for (const path of await selectedPaths(page)) {
        const label = path.local.candidateType === 'relay' ? `relay/${path.local.relayProtocol}` : `direct/${path.local.protocol}`;
        const taken = paths.get(site.code)!;
        taken[label] = (taken[label] ?? 0) + 1;
      }
      await page.context().close();
    }
    const baseline = await sitePage(browsers[0]!);
    await baseline.addInitScript(installFirstFrameProbe);
    await baseline.goto(`${hub.url}/api/health`);
    loopback.push(await loopbackToFirstFrameMs(baseline));
    await baseline.context().close();
  }

  const round = (n: number) => Math.round(n);
  console.log(
    JSON.stringify({
      runs,
      joinToFirstFrameMs: Object.fromEntries([...joins].map(([code, values]) => [code, values.map(round)])),
      paths: Object.fromEntries(paths),
      loopbackToFirstFrameMs: loopback.map(round),
    }),
  );
  const base = median(loopback);
  for (const site of sites) {
    const m = median(joins.get(site.code)!);
    const taken = Object.entries(paths.get(site.code)!)
      .map(([label, n]) => `${label} ×${n}`)
      .join(', ');
    console.log(
      `median join → first decoded frame, ${site.path} [transports: ${taken}]: ${round(m)} ms (${(m / base).toFixed(2)}× loopback)`,
    );
  }
  console.log(`median direct loopback → first decoded frame: ${round(base)} ms`);
} finally {
  for (const browser of browsers) await browser.close();
  await hub.stop();
  lab.close();
}
