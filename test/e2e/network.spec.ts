import { expect, test, type Browser, type Page } from './fixtures.js';
import { firewalls } from '../network/firewalls.js';
import { sprayGarbage } from '../network/garbage.js';
import { hubDefaultPorts, startLabHub, type LabHub } from '../network/labHub.js';
import { joinFromList, launchSiteBrowser, signInThroughForm, sitePage } from '../network/labSite.js';
import { NetworkLab } from '../network/NetworkLab.js';
import { selectedPaths, type SelectedPath } from '../network/selectedPaths.js';
import { expectFlowing, remoteSiteCodes } from './helpers.js';

/**
 * The province network in miniature: the hub (as `npm start` runs it: HTTPS with its own CA, TURN on, media
 * on every interface) on one host, three bridge points on others, each behind its own firewall:
 *   A — nothing in the way: media over UDP to the hub's one UDP port;
 *   B — all UDP dropped: media over TCP (the worker's one TCP port, or TURN over TCP/TLS);
 *   C — only TCP to the hub's HTTPS and TURN-over-TLS ports: media relayed by the hub's coturn,
 *       the site marked relay-only by the admin.
 */
const sites = [
  { host: 'site-a', code: 'SO-NV' },
  { host: 'site-b', code: 'XA-01' },
  { host: 'site-c', code: 'XA-02' },
] as const;

test.describe.configure({ mode: 'serial' });

let lab: NetworkLab;
let hub: LabHub;
let meetingId: string;
const browsers = new Map<string, Browser>();
const pages = new Map<string, Page>();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  lab = NetworkLab.create({ hosts: ['hub', ...sites.map((s) => s.host)] });
  hub = await startLabHub(lab, 'hub');
  lab.firewall('site-b', firewalls.noUdp());
  lab.firewall('site-c', firewalls.onlyTcpTo(hub.address, [hubDefaultPorts.https, hubDefaultPorts.turnTls]));
  for (const site of sites) browsers.set(site.code, await launchSiteBrowser(lab, site.host, hub.caCertFile));

  const admin = await hub.login('admin');
  const relayOnly = await hub.api('PUT', '/api/bridge-points/XA-02/network', { token: admin, body: { iceTransportPolicy: 'relay' } });
  expect(relayOnly.status).toBe(200);
  meetingId = await hub.startMeeting(
    'Họp qua mạng tỉnh',
    sites.map((s) => s.code),
  );
});

test.afterAll(async () => {
  for (const browser of browsers.values()) await browser.close();
  await hub?.stop();
  lab?.close();
});

/** Where a site's media may go: a test of each selected candidate pair. */
type PathRule = (path: SelectedPath) => boolean;

/**
 * Both connections of the page (send and receive) end up on paths the rule allows. ICE may first use a
 * pair that answered sooner and then move to a better one that works, so the pairs are read until they
 * settle.
 */
async function expectPaths(page: Page, rule: PathRule): Promise<void> {
  await expect
    .poll(async () => {
      const paths = await selectedPaths(page);
      return paths.length === 2 && paths.every(rule) ? 'settled' : JSON.stringify(paths);
    })
    .toBe('settled');
}

const toHub = (path: SelectedPath) => path.remote.candidateType === 'host' && path.remote.address === hub.address;
const pathRules: Record<(typeof sites)[number]['code'], PathRule> = {
  // A: straight to the worker's UDP port
  'SO-NV': (path) => toHub(path) && path.local.candidateType === 'host' && path.local.protocol === 'udp' && path.remote.protocol === 'udp',
  // B: over TCP, never UDP: to the worker's TCP port (an active TCP candidate shows as peer-reflexive once
  // connected), or through TURN over TCP or TLS when that pair answered first (ICE then prunes the other)
  'XA-01': (path) =>
    toHub(path) &&
    ((path.local.protocol === 'tcp' && path.remote.protocol === 'tcp') ||
      (path.local.candidateType === 'relay' && (path.local.relayProtocol === 'tcp' || path.local.relayProtocol === 'tls'))),
  // C: relay-only, reaching coturn over TLS (the only port its firewall opens besides HTTPS)
  'XA-02': (path) => toHub(path) && path.local.candidateType === 'relay' && path.local.relayProtocol === 'tls',
};

test('bridge points on other hosts, behind firewalls, join over HTTPS and see and hear each other', async () => {
  test.setTimeout(240_000);
  for (const site of sites) {
    const page = await sitePage(browsers.get(site.code)!);
    pages.set(site.code, page);
    await signInThroughForm(page, hub.url, site.code.toLowerCase());
    // a trusted certificate on the LAN address: a secure context, so the page may use camera and microphone
    expect(await page.evaluate(() => window.isSecureContext && typeof navigator.mediaDevices?.getUserMedia === 'function')).toBe(true);
    await joinFromList(page, meetingId);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  }
  for (const site of sites) {
    const page = pages.get(site.code)!;
    const others = sites.filter((s) => s !== site).map((s) => s.code);
    await expect.poll(() => remoteSiteCodes(page)).toEqual(others.sort());
    await expectFlowing(page, 'video', 2);
    await expectFlowing(page, 'audio', 2);
    await expectPaths(page, pathRules[site.code]);
  }
});

test('garbage on the HTTPS, TURN and media ports crashes nothing', async () => {
  test.setTimeout(180_000);
  const running = hub.processes();
  expect(running.map((p) => p.name).sort()).toEqual(['mediasoup-worker', 'mediasoup-worker', 'node', 'turnserver']);
  const sent = await sprayGarbage({ address: hub.address, ...hubDefaultPorts });
  expect(Object.keys(sent).length).toBeGreaterThan(20);

  // every process of the hub is still the one it was (none died, none was replaced), and it still answers
  expect(hub.process.exitCode).toBeNull();
  expect(hub.processes()).toEqual(running);
  expect((await hub.api('GET', '/api/health')).status).toBe(200);
  // the meeting went on through it
  for (const page of pages.values()) await expectFlowing(page, 'video', 2);
  // and a site can still come in over each path: the relayed one reloads and joins again
  const relayed = pages.get('XA-02')!;
  await relayed.reload();
  await joinFromList(relayed, meetingId);
  await expect(relayed.getByTestId('connection-state')).toHaveAttribute('data-state', 'joined');
  await expectFlowing(relayed, 'video', 2);
  await expectPaths(relayed, pathRules['XA-02']);
});
