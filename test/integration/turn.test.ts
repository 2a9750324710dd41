import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { pickPort } from 'pick-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCertificateAuthority } from '../../tls/index.js';
import { CoturnServer, TurnAccess, turnCredentials } from '../../turn/index.js';
import { chromiumArgs, chromiumPath } from '../browser.js';
import { freeUdpAndTcpPort } from '../support/freePort.js';
import { testTempDir } from '../support/tempDirs.js';
import { TurnClient } from '../support/turnClient.js';
import { nextEvent, request, startTestHub, type TestSocket } from './helpers.js';
import { trustedChromiumHome } from '../support/trustedChromiumHome.js';

const secret = 'bi-mat-chung-cua-tinh';

/** What Chromium gathers with only this TURN server to use: each relayed candidate's transport to it. */
type Gathered = Array<{ type: string; relayProtocol: string | null }>;

/** The expiry (Unix seconds) the credentials' user name carries. */
const expiryOf = (iceServers: RTCIceServer[]) => Number(String(iceServers[0]!.username).split(':')[0]);

/**
 * The hub's answer to `transport:create`, and the Unix seconds its credentials were issued in at the
 * earliest and latest: the second the request left, and the one its answer came in.
 */
async function transportWithIssueWindow(site: TestSocket, direction: 'send' | 'recv') {
  const asked = Math.floor(Date.now() / 1000);
  const answer = await request(site, 'transport:create', { direction });
  return { answer, issuedFrom: asked, issuedBy: Math.ceil(Date.now() / 1000) };
}

describe('TURN (coturn run by the hub)', () => {
  let turn: CoturnServer;
  let browser: Browser;
  let port: number;
  let tlsPort: number;

  beforeAll(async () => {
    const issued = new LocalCertificateAuthority({ dir: testTempDir('hub-turn-ca-') }).ensure({
      hostNames: ['localhost'],
      addresses: ['127.0.0.1'],
    });
    port = await freeUdpAndTcpPort();
    tlsPort = await pickPort({ type: 'tcp', ip: '127.0.0.1' });
    turn = await CoturnServer.start({
      dir: testTempDir('hub-turn-'),
      secret,
      realm: 'hop.angiang.gov.vn',
      listenIp: '127.0.0.1',
      port,
      tlsPort,
      certFile: issued.certFile,
      keyFile: issued.keyFile,
      relayMinPort: 48000,
      relayMaxPort: 48099,
      // the hub's media, on loopback here
      allowedPeers: ['127.0.0.1'],
      allowLoopbackPeers: true,
      log: () => undefined,
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
      env: { ...process.env, HOME: trustedChromiumHome(issued.caCertFile) },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await turn?.close();
  });

  async function gather(username: string, credential: string): Promise<Gathered> {
    const urls = [
      `turn:127.0.0.1:${port}?transport=udp`,
      `turn:127.0.0.1:${port}?transport=tcp`,
      `turns:127.0.0.1:${tlsPort}?transport=tcp`,
    ];
    return gatherWith([{ urls, username, credential }]);
  }

  async function gatherWith(iceServers: RTCIceServer[]): Promise<Gathered> {
    const page = await browser.newPage();
    try {
      return await page.evaluate(
        async ({ iceServers }) => {
          const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
          const done = new Promise<void>((resolve) => {
            pc.onicegatheringstatechange = () => {
              if (pc.iceGatheringState === 'complete') resolve();
            };
          });
          pc.createDataChannel('probe');
          await pc.setLocalDescription(await pc.createOffer());
          await done;
          // the stats say which transport to the TURN server each relayed candidate came through
          const found: Array<{ type: string; relayProtocol: string | null }> = [];
          (await pc.getStats()).forEach((s: { type: string; candidateType?: string; relayProtocol?: string }) => {
            if (s.type === 'local-candidate') found.push({ type: s.candidateType ?? '', relayProtocol: s.relayProtocol ?? null });
          });
          pc.close();
          return found;
        },
        { iceServers },
      );
    } finally {
      await page.close();
    }
  }

  it('relays over UDP, TCP and TLS for a browser with credentials derived from the shared secret', async () => {
    const { username, credential } = turnCredentials(secret, 'XA-01', 3600);
    const found = await gather(username, credential);
    expect(found.every((c) => c.type === 'relay')).toBe(true);
    expect(new Set(found.map((c) => c.relayProtocol))).toEqual(new Set(['udp', 'tcp', 'tls']));
  });

  it('relays to the hub’s media only: a bridge point’s credentials reach no internal or outside address', async () => {
    const client = new TurnClient({ host: '127.0.0.1', port }, turnCredentials(secret, 'XA-01', 3600));
    try {
      await client.allocate();
      expect(await client.permit('127.0.0.1')).toBe(0);
      // the camera LAN, the province's servers, link-local (a cloud's metadata), CGNAT, and the internet
      for (const peer of ['10.20.0.7', '172.16.5.5', '192.168.1.10', '169.254.169.254', '100.64.0.1', '8.8.8.8'])
        expect({ peer, answer: await client.permit(peer) }).toEqual({ peer, answer: 403 });
    } finally {
      client.close();
    }
  });

  it('refuses expired credentials and ones made with another secret', async () => {
    const expired = turnCredentials(secret, 'XA-01', -60);
    expect(await gather(expired.username, expired.credential)).toEqual([]);
    const forged = turnCredentials('another-secret', 'XA-01', 3600);
    expect(await gather(forged.username, forged.credential)).toEqual([]);
  });

  it('is handed to every browser with each transport, with credentials of its account that coturn accepts', async () => {
    const access = new TurnAccess({ secret, host: '127.0.0.1', port, tlsPort });
    const hub = await startTestHub({ turn: access });
    try {
      const meeting = await hub.createMeeting(['XA-01']);
      await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
      const site = await hub.connect('xa-01');
      expect(await request(site, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true, data: { admitted: true } });
      const { answer: transport, issuedFrom, issuedBy } = await transportWithIssueWindow(site, 'send');
      expect(transport.ok).toBe(true);
      const { iceServers, iceTransportPolicy } = transport.data as { iceServers: RTCIceServer[]; iceTransportPolicy: string };
      expect(iceTransportPolicy).toBe('all');
      expect(iceServers).toEqual([
        {
          urls: [
            `turn:127.0.0.1:${port}?transport=udp`,
            `turn:127.0.0.1:${port}?transport=tcp`,
            `turns:127.0.0.1:${tlsPort}?transport=tcp`,
          ],
          username: expect.stringMatching(/^\d+:xa-01$/),
          credential: expect.any(String),
        },
      ]);
      // short-lived: ten minutes from their issue by default (renewed while the page is connected)
      expect(expiryOf(iceServers)).toBeGreaterThanOrEqual(issuedFrom + 600);
      expect(expiryOf(iceServers)).toBeLessThanOrEqual(issuedBy + 600);
      const found = await gatherWith(iceServers);
      expect(new Set(found.map((c) => c.relayProtocol))).toEqual(new Set(['udp', 'tcp', 'tls']));
    } finally {
      await hub.close();
    }
  });

  it('gives a connected page fresh credentials at half their life: the first open no relay once expired, the fresh ones do', async () => {
    const hub = await startTestHub({ turn: new TurnAccess({ secret, host: '127.0.0.1', port, tlsPort, ttlSeconds: 6 }) });
    const relayWith = async (iceServers: RTCIceServer[]) => {
      const client = new TurnClient({ host: '127.0.0.1', port }, iceServers[0] as { username: string; credential: string });
      try {
        await client.allocate();
        return 'relayed';
      } catch (error) {
        return (error as Error).message;
      } finally {
        client.close();
      }
    };
    try {
      const meeting = await hub.createMeeting(['XA-01']);
      await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
      const site = await hub.connect('xa-01');
      await request(site, 'meeting:join', { meetingId: meeting.id });
      const { answer, issuedFrom, issuedBy } = await transportWithIssueWindow(site, 'recv');
      const first = (answer.data as { iceServers: RTCIceServer[] }).iceServers;
      expect(expiryOf(first)).toBeGreaterThanOrEqual(issuedFrom + 6);
      expect(expiryOf(first)).toBeLessThanOrEqual(issuedBy + 6);
      const renewed = await nextEvent(site, 'ice:servers', ({ iceServers }) => expiryOf(iceServers) > expiryOf(first));
      expect(renewed.iceServers[0]!.urls).toEqual(first[0]!.urls);
      expect(renewed.iceServers[0]!.username).toMatch(/^\d+:xa-01$/);
      // once the first have expired (coturn reads the expiry in whole seconds), they open no relay; the page's latest do
      await expect.poll(() => Date.now(), { timeout: 30_000 }).toBeGreaterThan((expiryOf(first) + 1) * 1000);
      expect(await relayWith(first)).toBe('Allocate: 401');
      const latest = await nextEvent(site, 'ice:servers');
      expect(await relayWith(latest.iceServers)).toBe('relayed');
    } finally {
      await hub.close();
    }
  });

  it('makes a bridge point relay-only when the admin says its firewall allows nothing else', async () => {
    const hub = await startTestHub({ turn: new TurnAccess({ secret, host: '127.0.0.1', port, tlsPort }) });
    try {
      const admin = await hub.login('admin');
      const network = '/api/bridge-points/XA-02/network';
      expect((await hub.api('GET', network, { token: admin })).body).toEqual({ code: 'XA-02', iceTransportPolicy: 'all' });
      expect((await hub.api('PUT', network, { token: await hub.login('xa-02'), body: { iceTransportPolicy: 'relay' } })).status).toBe(403);
      const refused = await hub.api('PUT', network, { token: admin, body: { iceTransportPolicy: 'tcp' } });
      expect(refused.status).toBe(400);
      expect(
        (await hub.api('PUT', '/api/bridge-points/XA-99/network', { token: admin, body: { iceTransportPolicy: 'relay' } })).status,
      ).toBe(404);
      const set = await hub.api('PUT', network, { token: admin, body: { iceTransportPolicy: 'relay' } });
      expect(set).toMatchObject({ status: 200, body: { code: 'XA-02', iceTransportPolicy: 'relay' } });
      expect((await hub.api('GET', '/api/audit?target=bridgePoint:XA-02', { token: admin })).body).toMatchObject([
        { actor: 'admin', action: 'bridgePoint.network', detail: { iceTransportPolicy: 'relay' } },
      ]);

      const meeting = await hub.createMeeting(['XA-02', 'XA-03']);
      await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
      const policyOf = async (username: string) => {
        const site = await hub.connect(username);
        await request(site, 'meeting:join', { meetingId: meeting.id });
        return ((await request(site, 'transport:create', { direction: 'recv' })).data as { iceTransportPolicy: string }).iceTransportPolicy;
      };
      expect(await policyOf('xa-02')).toBe('relay');
      expect(await policyOf('xa-03')).toBe('all');
    } finally {
      await hub.close();
    }
  });
});

describe('a coturn left running by an earlier start', () => {
  const options = async (dir: string) => ({
    dir,
    secret,
    realm: 'hop.angiang.gov.vn',
    listenIp: '127.0.0.1',
    port: await freeUdpAndTcpPort(),
    tlsPort: await pickPort({ type: 'tcp', ip: '127.0.0.1' }),
    relayMinPort: 48100,
    relayMaxPort: 48199,
    allowedPeers: ['127.0.0.1'],
    log: () => undefined,
  });
  const listening = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }).once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

  it('is stopped by the next start, which then listens itself; a port held by anything else is refused, saying so', async () => {
    const dir = testTempDir('hub-turn-orphan-');
    const turnOptions = await options(dir);
    // the hub's own coturn, started with its configuration as a hub killed before its children went with it left it
    await (await CoturnServer.start(turnOptions)).close();
    const orphan = spawn('turnserver', ['-c', path.join(dir, 'turnserver.conf')], { detached: true, stdio: 'ignore' });
    const orphanGone = new Promise((resolve) => orphan.once('exit', resolve));
    await expect.poll(() => listening(turnOptions.port)).toBe(true);
    await expect
      .poll(() => fs.readFileSync(path.join(dir, 'turnserver.pid'), { encoding: 'utf8', flag: 'a+' }).trim())
      .toBe(String(orphan.pid));

    const fresh = await CoturnServer.start(turnOptions);
    await orphanGone;
    expect(await listening(turnOptions.port)).toBe(true);
    await fresh.close();

    // something else on the port: not stopped, and the start says why it cannot
    const foreign = net.createServer().listen(turnOptions.port, '127.0.0.1');
    await new Promise((resolve) => foreign.once('listening', resolve));
    await expect(CoturnServer.start(turnOptions)).rejects.toThrow(/Cổng TURN \d+ trên 127\.0\.0\.1 đang bị một tiến trình khác chiếm/);
    await new Promise((resolve) => foreign.close(resolve));
  });
});
