import { expect, test, type Page } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { Baresip } from '../support/baresip.js';
import { freeUdpAndTcpPort } from '../support/freePort.js';
import { apiCall, createMeeting, expectFlowing, login, openSite, remoteSiteCodes } from './helpers.js';
import { HubProcess } from './hubProcess.js';

/**
 * The Government's MCU as a feed the hub calls over SIP: Debian's baresip plays the MCU (it answers by itself,
 * sends a solid blue picture in H.264 and a tone in Opus, SRTP mandatory), and a browser site of the meeting
 * must decode that picture, the MCU's own, and hear the tone.
 */
let hub: HubProcess | undefined;
let mcu: Baresip | undefined;

test.beforeAll(async () => {
  hub = await HubProcess.start({
    SIP: 'on',
    SIP_PORT: String(await freeUdpAndTcpPort()),
    SIP_LISTEN_IP: '127.0.0.1',
    SIP_ANNOUNCED_ADDRESS: '127.0.0.1',
    // the MCU's network; the hub calls nowhere else
    SIP_ALLOWED_SUBNETS: '127.0.0.2/32',
  });
  mcu = await Baresip.start({
    address: '127.0.0.2',
    sipPort: await freeUdpAndTcpPort(),
    user: 'chinhphu',
    colour: '0x2080d0',
    toneHz: 440,
  });
});

test.afterAll(async () => {
  await mcu?.stop();
  await hub?.close();
});

/** The centre pixel of the picture a site's tile shows, read through a canvas. */
function tileCentre(page: Page, code: string): Promise<number[] | null> {
  return page.evaluate((site) => {
    const video = document.querySelector<HTMLVideoElement>(`[data-site-code="${site}"] video`);
    if (!video || video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(video, 0, 0);
    return Array.from(g.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data.slice(0, 3));
  }, code);
}

/**
 * The energy of what the page has played so far of a site's voice (its <audio data-site-code> track's
 * `totalAudioEnergy`): it grows while a sound is decoded, and stays still on silence or comfort noise.
 */
function heardEnergy(page: Page, code: string): Promise<number> {
  return page.evaluate(async (site) => {
    const element = document.querySelector<HTMLAudioElement>(`audio[data-site-code="${site}"]`);
    const track = (element?.srcObject as MediaStream | null)?.getAudioTracks()[0];
    if (!track) return 0;
    let energy = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const receiver = pc.connectionState === 'closed' ? undefined : pc.getReceivers().find((r) => r.track.id === track.id);
      if (!receiver) continue;
      (await receiver.getStats()).forEach((s: { type: string; totalAudioEnergy?: number }) => {
        if (s.type === 'inbound-rtp') energy = s.totalAudioEnergy ?? 0;
      });
    }
    return energy;
  }, code);
}

/** How far a pixel is from a colour: the largest difference of its three channels. */
const distance = (pixel: number[] | null, colour: number[]) =>
  pixel ? Math.max(...pixel.map((v, i) => Math.abs(v - colour[i]!))) : Infinity;

test('the chair adds the Government’s MCU as a SIP feed: the hub calls it, and a site sees its picture and hears its voice; removed, the call ends', async ({
  browser,
}) => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV']);
  const site = await openSite(browser, port, meeting, 'SO-NV');
  const feed = await apiCall<{ id: string; code: string; kind: string; url: string }>(
    port,
    'chu-toa',
    'POST',
    `/api/meetings/${meeting}/ingests`,
    {
      name: 'Chính phủ (MCU)',
      kind: 'sip',
      source: mcu!.uri,
    },
  );
  expect(feed).toMatchObject({ kind: 'sip', url: mcu!.uri });

  // the MCU is a site of the meeting: its tile, its picture (blue, as it sends it) and its voice
  await expect.poll(() => remoteSiteCodes(site)).toContain(feed.code);
  await expect.poll(async () => distance(await tileCentre(site, feed.code), [0x20, 0x80, 0xd0])).toBeLessThan(24);
  // its tone is heard, not only received: the energy played of its voice keeps growing
  const energyBefore = await heardEnergy(site, feed.code);
  await expect.poll(() => heardEnergy(site, feed.code)).toBeGreaterThan(energyBefore + 0.5);
  // the MCU is the only other site: its voice is the one audio stream arriving, its picture the one video
  await expectFlowing(site, 'audio', 1);
  await expectFlowing(site, 'video', 1);

  // removed: the hub hangs up, and the MCU leaves the meeting
  await apiCall(port, 'chu-toa', 'DELETE', `/api/meetings/${meeting}/ingests/${feed.id}`);
  await expect.poll(() => remoteSiteCodes(site)).not.toContain(feed.code);
  await mcu!.waitFor(/closed|terminated/i);
});

test('a SIP feed is refused, in Vietnamese, when its address is outside SIP_ALLOWED_SUBNETS, malformed, or the hub has SIP off', async () => {
  const add = async (hubPort: number, source: string) => {
    const meeting = await createMeeting(hubPort, ['SO-NV'], { start: false });
    const { token } = await login(hubPort, 'chu-toa');
    const response = await fetch(`http://127.0.0.1:${hubPort}/api/meetings/${meeting}/ingests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'MCU', kind: 'sip', source }),
    });
    return { status: response.status, message: ((await response.json()) as { message: string }).message };
  };
  const outside = await add(hub!.port, 'sip:mcu@127.0.0.3:5060');
  expect(outside).toEqual({ status: 400, message: expect.stringContaining('không nằm trong các mạng được phép') });
  const malformed = await add(hub!.port, 'sip:mcu@127.0.0.2;maddr=10.0.0.9');
  expect(malformed).toEqual({ status: 400, message: expect.stringContaining('địa chỉ SIP dạng') });
  // the shared hub runs with SIP off
  const off = await add(hubs.standard, 'sip:mcu@127.0.0.2');
  expect(off).toEqual({ status: 409, message: expect.stringContaining('SIP=off') });
});
