import { expect, test, type Page } from './fixtures.js';
import { createMeeting, expectFlowing, openChair, openSite, signedInPage } from './helpers.js';
import { HubProcess, ownTurnEnv } from './hubProcess.js';

/**
 * Short-lived TURN credentials, renewed while the page is connected: every open peer connection of a
 * bridge point's page and of a supervision station takes the fresh ones the hub sends (`ice:servers`), so
 * its next ICE gathering (a restart after a failure) relays with credentials that coturn still accepts.
 */
let hub: HubProcess | undefined;
test.afterEach(async ({ browser }) => {
  for (const context of browser.contexts()) await context.close();
  await hub?.close();
  hub = undefined;
});

/** The expiry (Unix seconds) in the TURN user name each open peer connection of the page holds now. */
const expiries = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
      .filter((pc) => pc.connectionState !== 'closed')
      .map((pc) => Number(String(pc.getConfiguration().iceServers?.[0]?.username ?? '').split(':')[0])),
  );

test('a bridge point and a station hold fresh TURN credentials on every connection while they stay signed in', async ({ browser }) => {
  test.setTimeout(240_000);
  hub = await HubProcess.start({
    ...(await ownTurnEnv([52200, 52299])),
    // renewed every 15 s
    TURN_CREDENTIALS_SECONDS: '30',
  });
  const { port } = hub;
  const meetingId = await createMeeting(port, ['SO-NV']);
  const chair = await openChair(browser, port, meetingId);
  const site = await openSite(browser, port, meetingId, 'SO-NV');
  const station = await signedInPage(browser, port, 'giam-sat', '/wall');
  await expect.poll(async () => (await expiries(station)).length).toBeGreaterThanOrEqual(1);

  for (const page of [site, station]) {
    const first = await expiries(page);
    expect(first.every((expiry) => expiry * 1000 > Date.now())).toBe(true);
    // each of its connections (the site's two transports, the station's one) takes the renewed ones
    await expect.poll(async () => (await expiries(page)).every((expiry) => expiry > Math.max(...first)), { timeout: 120_000 }).toBe(true);
  }
  // nothing was cut meanwhile
  await expectFlowing(chair, 'video', 1);
  await expectFlowing(site, 'video', 1);
});
