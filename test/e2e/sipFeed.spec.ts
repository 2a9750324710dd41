import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from './fixtures.js';
import { hubs } from '../../playwright.config.js';
import { isFeedCode, type MeetingDto } from '../../shared/meetings.js';
import { Baresip } from '../support/baresip.js';
import { RoomSystemWithoutSsrc } from '../support/roomSystemWithoutSsrc.js';
import { bfcp, requestStatusOf, uint16Attribute, type BfcpClient, type ReadBfcp } from '../support/bfcpClient.js';
import { freeUdpAndTcpPort } from '../support/freePort.js';
import { soundLevel } from '../support/streamReceiver.js';
import type { MeetingReport } from '../../shared/reports.js';
import type { RoomSystemDto } from '../../shared/roomSystems.js';
import {
  apiCall,
  audioArriving,
  createMeeting,
  expectFlowing,
  login,
  openChair,
  openSite,
  remoteSiteCodes,
  signedInPage,
} from './helpers.js';
import { HubProcess } from './hubProcess.js';

/**
 * The Government's MCU as a feed the hub calls over SIP: Debian's baresip plays the MCU (it answers by itself,
 * sends a solid blue picture in H.264 and a tone in Opus, SRTP mandatory), and a browser site of the meeting
 * must decode that picture, the MCU's own, and hear the tone.
 */
let hub: HubProcess | undefined;
let mcu: Baresip | undefined;
/** MCUs without Opus: G.711 only, as older MCUs are; G.722 before G.711, as most room systems are. */
let g711Mcu: Baresip | undefined;
let g722Mcu: Baresip | undefined;
/** A room system that calls in (from 127.0.0.4, outside SIP_ALLOWED_SUBNETS: that rule is for where the hub calls). */
let roomSystem: Baresip | undefined;
/** Another, calling in at the same time. */
let secondRoomSystem: Baresip | undefined;
let sipPort = 0;
let sipTlsPort = 0;

test.beforeAll(async () => {
  sipPort = await freeUdpAndTcpPort();
  sipTlsPort = await freeUdpAndTcpPort();
  hub = await HubProcess.start({
    SIP: 'on',
    SIP_PORT: String(sipPort),
    SIP_TLS_PORT: String(sipTlsPort),
    SIP_BFCP_PORT: String(await freeUdpAndTcpPort()),
    SIP_LISTEN_IP: '127.0.0.1',
    SIP_ANNOUNCED_ADDRESS: '127.0.0.1',
    // the MCUs' network (127.0.0.2 and .3, and .15) and room systems' (127.0.0.7, .18); the hub calls nowhere else
    SIP_ALLOWED_SUBNETS: '127.0.0.2/31,127.0.0.7/32,127.0.0.15/32,127.0.0.18/32',
  });
  mcu = await Baresip.start({
    address: '127.0.0.2',
    sipPort: await freeUdpAndTcpPort(),
    user: 'chinhphu',
    colour: '0x2080d0',
    toneHz: 440,
    controlPort: await freeUdpAndTcpPort(),
  });
  g711Mcu = await Baresip.start({
    address: '127.0.0.3',
    sipPort: await freeUdpAndTcpPort(),
    user: 'phonghop',
    colour: '0xd08020',
    toneHz: 660,
    controlPort: await freeUdpAndTcpPort(),
    audio: 'g711',
  });
  g722Mcu = await Baresip.start({
    address: '127.0.0.15',
    sipPort: await freeUdpAndTcpPort(),
    user: 'phonghop-g722',
    colour: '0x80d020',
    toneHz: 880,
    controlPort: await freeUdpAndTcpPort(),
    audio: 'g722',
  });
  roomSystem = await Baresip.start({
    address: '127.0.0.4',
    sipPort: await freeUdpAndTcpPort(),
    user: 'phonghop-xa',
    colour: '0xc03090',
    toneHz: 550,
    controlPort: await freeUdpAndTcpPort(),
    // the hub's own CA, as an admin installs it on the province's room systems
    caFile: path.join(hub.dataDir, 'tls', 'ca.crt'),
  });
  secondRoomSystem = await Baresip.start({
    address: '127.0.0.5',
    sipPort: await freeUdpAndTcpPort(),
    user: 'phonghop-xa-2',
    colour: '0x30a040',
    toneHz: 770,
    controlPort: await freeUdpAndTcpPort(),
  });
});

// a failure says what the hub logged of its SIP calls meanwhile
test.afterEach(() => {
  const testInfo = test.info();
  if (testInfo.status !== testInfo.expectedStatus)
    console.log(
      `the hub's log of its SIP calls:\n${hub?.log
        .split('\n')
        .filter((line) => /SIP|PIN|presentation|content|codec/i.test(line))
        .slice(-20)
        .join('\n')}`,
    );
});

test.afterAll(async () => {
  await secondRoomSystem?.stop();
  await roomSystem?.stop();
  await g722Mcu?.stop();
  await g711Mcu?.stop();
  await mcu?.stop();
  await hub?.close();
});

/** The tiles of feeds from outside (an MCU, a room system that called in) a page shows. */
async function feedTiles(page: Page): Promise<string[]> {
  return (await remoteSiteCodes(page)).filter(isFeedCode);
}

/**
 * The colour of the picture a page shows in a site's tile, read through a canvas: its centre pixel, or the mean of
 * its whole frame.
 */
function tileColour(page: Page, code: string, where: 'centre' | 'mean'): Promise<number[] | null> {
  return page.evaluate(
    ({ site, mean }) => {
      const video = document.querySelector<HTMLVideoElement>(`[data-site-code="${site}"] video`);
      if (!video || video.videoWidth === 0) return null;
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const g = canvas.getContext('2d')!;
      g.drawImage(video, 0, 0);
      if (!mean) return Array.from(g.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data.slice(0, 3));
      const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
      return sum.map((v) => v / (data.length / 4));
    },
    { site: code, mean: where === 'mean' },
  );
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

/** The codec a page receives a site's voice in (its <audio data-site-code> track's inbound RTP), as the browser says. */
function heardCodec(page: Page, code: string): Promise<string | undefined> {
  return page.evaluate(async (site) => {
    const element = document.querySelector<HTMLAudioElement>(`audio[data-site-code="${site}"]`);
    const track = (element?.srcObject as MediaStream | null)?.getAudioTracks()[0];
    let codec: string | undefined;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const receiver = pc.connectionState === 'closed' ? undefined : pc.getReceivers().find((r) => r.track.id === track?.id);
      if (!receiver) continue;
      const report = await receiver.getStats();
      report.forEach((s: { type: string; codecId?: string }) => {
        if (s.type === 'inbound-rtp' && s.codecId) codec = (report.get(s.codecId) as { mimeType: string }).mimeType;
      });
    }
    return codec;
  }, code);
}

/** The sample rate of a WAV file (its header's): what baresip decoded a call's sound at, its codec's. */
function wavSampleRate(file: string): number {
  return fs.readFileSync(file).readUInt32LE(24);
}

/** The mean colour of a picture file (the MCU's snapshot), as ffmpeg reads it. */
function fileMeanColour(file: string): number[] {
  const rgb = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-vf',
    'scale=1:1:flags=area',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  return [...rgb.subarray(0, 3)];
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
  await expect.poll(async () => distance(await tileColour(site, feed.code, 'centre'), [0x20, 0x80, 0xd0])).toBeLessThan(24);
  // its tone is heard, not only received: the energy played of its voice keeps growing
  const energyBefore = await heardEnergy(site, feed.code);
  await expect.poll(() => heardEnergy(site, feed.code)).toBeGreaterThan(energyBefore + 0.5);
  // the MCU is the only other site: its voice is the one audio stream arriving, its picture the one video
  await expectFlowing(site, 'audio', 1);
  await expectFlowing(site, 'video', 1);

  // the MCU receives the province's program: the chair puts the site in the spotlight and the program on it; what
  // the MCU decodes is that site's camera as the chair's page shows it (Chromium's green test pattern), not its own blue
  const chair = await openChair(browser, port, meeting);
  await chair.locator('[data-testid="site-row"][data-site-code="SO-NV"]').getByTestId('spotlight-site').click();
  await apiCall(port, 'chu-toa', 'PUT', `/api/meetings/${meeting}/program`, { source: 'spotlight' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-sip-'));
  try {
    const snapshot = path.join(dir, 'received.png');
    const blue = [0x20, 0x80, 0xd0];
    await expect
      .poll(async () => {
        await mcu!.snapshotReceived(snapshot);
        return distance(fileMeanColour(snapshot), (await tileColour(chair, 'SO-NV', 'mean')) ?? blue);
      })
      .toBeLessThan(40);
    expect(distance(fileMeanColour(snapshot), blue)).toBeGreaterThan(80);

    // the MCU itself in the program (the chair has it present): it does not see itself, but the one shown before it
    // (the site, as before), as an MCU shows the current speaker the previous one
    await chair.locator(`[data-testid="feed-row"][data-feed-code="${feed.code}"]`).getByTestId('feed-present').click();
    await apiCall(port, 'chu-toa', 'PUT', `/api/meetings/${meeting}/program`, { source: 'presentation' });
    // the program shows the MCU's own picture from now on: what the MCU is sent must not be it
    await expect(chair.getByTestId('program-panel').getByTestId('program-showing')).toContainText(feed.code);
    await expect(chair.getByTestId('program-panel').getByTestId('program-showing')).toHaveAttribute('data-picture', 'true');
    await expect
      .poll(async () => {
        await mcu!.snapshotReceived(snapshot);
        return distance(fileMeanColour(snapshot), (await tileColour(chair, 'SO-NV', 'mean')) ?? blue);
      })
      .toBeLessThan(40);
    expect(distance(fileMeanColour(snapshot), blue)).toBeGreaterThan(80);

    // removed: the hub hangs up, and the MCU leaves the meeting
    await apiCall(port, 'chu-toa', 'DELETE', `/api/meetings/${meeting}/ingests/${feed.id}`);
    await expect.poll(() => remoteSiteCodes(site)).not.toContain(feed.code);
    await mcu!.waitFor(/closed|terminated/i);

    // what it heard (written out as the call closed): the sites' voices, never its own tone back (a mix-minus)
    const heard = mcu!.heardFile;
    const [all, ownTone] = [await soundLevel(heard), await soundLevel(heard, 440)];
    expect(all, 'the sites are heard').toBeGreaterThan(-50);
    expect(ownTone, `its own 440 Hz tone came back (all: ${all} dB)`).toBeLessThan(all - 20);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const { codec, far, toneHz, mimeType, sampleRate } of [
  { codec: 'G.711', far: () => g711Mcu!, toneHz: 660, mimeType: 'audio/PCMU', sampleRate: 8000 },
  { codec: 'G.722', far: () => g722Mcu!, toneHz: 880, mimeType: 'audio/G722', sampleRate: 16000 },
])
  test(`an MCU without Opus takes ${codec}: a site hears its tone, and it hears the sites, never its own tone`, async ({ browser }) => {
    const port = hub!.port;
    const meeting = await createMeeting(port, ['SO-NV']);
    const site = await openSite(browser, port, meeting, 'SO-NV');
    const feed = await apiCall<{ id: string; code: string }>(port, 'chu-toa', 'POST', `/api/meetings/${meeting}/ingests`, {
      name: `Phòng họp (${codec})`,
      kind: 'sip',
      source: far().uri,
    });
    await expect.poll(() => remoteSiteCodes(site)).toContain(feed.code);
    // its sound reaches the page as it is (browsers decode G.711 and G.722), and is played
    const energyBefore = await heardEnergy(site, feed.code);
    await expect.poll(() => heardEnergy(site, feed.code)).toBeGreaterThan(energyBefore + 0.5);
    expect(await heardCodec(site, feed.code)).toBe(mimeType);
    // and its mix comes back in its codec while the site speaks: some seconds of it decoded (16 bits at 8 or 16 kHz:
    // 16 or 32 kB a second), then read once the call has ended (the dump is whole then)
    await expect.poll(() => far().heardBytes()).toBeGreaterThan(80_000);
    await apiCall(port, 'chu-toa', 'DELETE', `/api/meetings/${meeting}/ingests/${feed.id}`);
    await expect.poll(() => remoteSiteCodes(site)).not.toContain(feed.code);
    await far().waitFor(/closed|terminated/i);
    const heard = far().heardFile;
    expect(wavSampleRate(heard), `it decoded the mix as ${codec}`).toBe(sampleRate);
    const [all, ownTone] = [await soundLevel(heard), await soundLevel(heard, toneHz)];
    expect(all, 'the site is heard').toBeGreaterThan(-50);
    expect(ownTone, `its own ${toneHz} Hz tone came back (all: ${all} dB)`).toBeLessThan(all - 20);
  });

test('a room system dials in with the conference ID: a wrong PIN in the address is refused; asked for the PIN, it keys it and is a site of the meeting, seen by the others; hung up, it leaves', async ({
  browser,
}) => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV']);
  const site = await openSite(browser, port, meeting, 'SO-NV');
  const dialIn = await apiCall<{ conferenceId: string; pin: string; sipUri: string }>(
    port,
    'chu-toa',
    'GET',
    `/api/meetings/${meeting}/dial-in`,
  );
  expect(dialIn.conferenceId).toMatch(/^\d{7}$/);
  expect(dialIn.sipUri).toBe(`sip:${dialIn.conferenceId}@127.0.0.1:${sipPort}`);
  const before = await remoteSiteCodes(site);

  // the PIN in the address, wrong: refused before any media
  const wrong = dialIn.pin === '000000' ? '111111' : '000000';
  await roomSystem!.command('dial', `sip:${dialIn.conferenceId}*${wrong}@127.0.0.1:${sipPort}`);
  await roomSystem!.waitFor(/403 Forbidden/);

  // the conference ID alone: the hub answers and asks for the PIN (the only sound it sends before the PIN: once the
  // room system decodes sound, the question is being said, and the hub is listening for the keys)
  await roomSystem!.command('dial', `sip:${dialIn.conferenceId}@127.0.0.1:${sipPort}`);
  await expect.poll(() => roomSystem!.heardBytes()).toBeGreaterThan(0);
  expect(await remoteSiteCodes(site), 'not a site before its PIN').toEqual(before);
  await roomSystem!.pressKeys(`${dialIn.pin}#`);

  // a site of the meeting: its tile, its picture (magenta, as it sends it), its voice
  await expect.poll(() => feedTiles(site)).toHaveLength(1);
  const code = (await feedTiles(site))[0]!;
  await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0xc0, 0x30, 0x90])).toBeLessThan(24);
  const energyBefore = await heardEnergy(site, code);
  await expect.poll(() => heardEnergy(site, code)).toBeGreaterThan(energyBefore + 0.5);

  // its keypad is its remote: *1 asks for the floor, as the chair's console says (and shows, by the caller's name), *0 withdraws
  const chair = await openChair(browser, port, meeting);
  const row = chair.locator(`[data-testid="feed-row"][data-feed-code="${code}"]`);
  await expect(chair.getByTestId('sip-keypad-legend')).toContainText('*1');
  await roomSystem!.pressKeys('*1');
  await expect(row).toHaveAttribute('data-hand', 'true');
  await expect(chair.getByTestId('hand-queue')).toContainText('Khách SIP');
  await roomSystem!.pressKeys('*0');
  await expect(row).toHaveAttribute('data-hand', 'false');

  // the chair mutes it: the site stops hearing it; unmuted, it is heard again
  await expect.poll(() => audioArriving(site, code)).toBe(true);
  await row.getByTestId('feed-mute').click();
  await expect(row).toHaveAttribute('data-muted', 'true');
  await expect.poll(() => audioArriving(site, code)).toBe(false);
  await row.getByTestId('feed-mute').click();
  await expect.poll(() => audioArriving(site, code)).toBe(true);

  // it hangs up: its site leaves the meeting
  await roomSystem!.command('hangup');
  await expect.poll(() => remoteSiteCodes(site)).not.toContain(code);

  // the right PIN in the address: straight into the meeting, nothing asked
  await roomSystem!.command('dial', `sip:${dialIn.conferenceId}*${dialIn.pin}@127.0.0.1:${sipPort}`);
  // (the chair's site is on the page now too: the caller is the one feed)
  await expect.poll(() => feedTiles(site)).toHaveLength(1);
  await roomSystem!.command('hangup');
  await expect.poll(() => feedTiles(site)).toHaveLength(0);
});

test('a room system that calls before the meeting starts waits, ringing, and is in the meeting once the chair starts it; the chair hangs it up', async ({
  browser,
}) => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV'], { start: false });
  const dialIn = await apiCall<{ conferenceId: string; pin: string }>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}/dial-in`);
  await roomSystem!.command('dial', `sip:${dialIn.conferenceId}*${dialIn.pin}@127.0.0.1:${sipPort}`);
  await roomSystem!.waitFor(new RegExp(`${dialIn.conferenceId}.*180 Ringing|Ringing.*${dialIn.conferenceId}|SIP Progress: 180 Ringing`));
  await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meeting}/start`);
  await roomSystem!.waitFor(new RegExp(`Call established: sip:${dialIn.conferenceId}\\*`));
  const site = await openSite(browser, port, meeting, 'SO-NV');
  await expect.poll(() => feedTiles(site)).toHaveLength(1);
  // the chair hangs it up from the console
  const chair = await openChair(browser, port, meeting);
  const hangUps = roomSystem!.output.split(/closed|terminated/i).length;
  await chair.locator('[data-testid="feed-row"]').getByTestId('feed-remove').click();
  await expect.poll(() => roomSystem!.output.split(/closed|terminated/i).length).toBeGreaterThan(hangUps);
  await expect.poll(() => feedTiles(site)).toHaveLength(0);
  await expect(chair.locator('[data-testid="feed-row"]')).toHaveCount(0);
});

test('two room systems in the meeting at once: both are sites, both decode the program sent to them, and a site that joins after sees both pictures', async ({
  browser,
}) => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV', 'SO-TP']);
  const site = await openSite(browser, port, meeting, 'SO-NV');
  const dialIn = await apiCall<{ conferenceId: string; pin: string }>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}/dial-in`);
  // the two calls' routers share the calls' worker
  const systems = [roomSystem!, secondRoomSystem!];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-sip-two-'));
  try {
    for (const system of systems) await system.command('dial', `sip:${dialIn.conferenceId}*${dialIn.pin}@127.0.0.1:${sipPort}`);
    await expect.poll(() => feedTiles(site)).toHaveLength(2);
    // each decodes a picture of the program (a snapshot is written only from a decoded picture)
    for (const [index, system] of systems.entries()) await system.snapshotReceived(path.join(dir, `received-${index}.png`));
    // a site that joins once both are in sees each one's picture: the key frames it needs are asked of the room systems
    const late = await openSite(browser, port, meeting, 'SO-TP');
    await expect.poll(() => feedTiles(late)).toHaveLength(2);
    for (const code of await feedTiles(late))
      await expect
        .poll(async () => {
          const colour = await tileColour(late, code, 'centre');
          return Math.min(distance(colour, [0xc0, 0x30, 0x90]), distance(colour, [0x30, 0xa0, 0x40]));
        })
        .toBeLessThan(24);
    for (const system of systems) await system.command('hangup');
    await expect.poll(() => feedTiles(site)).toHaveLength(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bridge point’s room system registers with its site’s SIP account and calls the hub: it is that site, on every page and the console, in the attendance, and answers the roll call on its keypad', async ({
  browser,
}) => {
  const port = hub!.port;
  const code = 'XA-01';
  const account = { username: 'phonghop-xa01', password: 'mat-khau-phong-hop-xa01' };
  // the admin pairs the commune with its room system: the password is sealed, and never given back
  const paired = await apiCall<Record<string, unknown>>(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, {
    ...account,
    address: null,
  });
  expect(paired).toMatchObject({ bridgePointCode: code, username: account.username, registration: null });
  expect(JSON.stringify(paired)).not.toContain(account.password);
  const system = await Baresip.start({
    address: '127.0.0.6',
    sipPort: await freeUdpAndTcpPort(),
    user: account.username,
    colour: '0x8040e0',
    toneHz: 880,
    controlPort: await freeUdpAndTcpPort(),
    account: { hub: `127.0.0.1:${sipPort}`, ...account },
  });
  try {
    // registered: the admin's page says from where
    const registeredFrom = async () =>
      (await apiCall<RoomSystemDto>(port, 'admin', 'GET', `/api/bridge-points/${code}/room-system`)).registration?.sourceAddress;
    await expect.poll(registeredFrom).toBe('127.0.0.6');
    const meeting = await createMeeting(port, ['SO-NV', code]);
    const site = await openSite(browser, port, meeting, 'SO-NV');
    const chair = await openChair(browser, port, meeting);
    const row = chair.locator(`[data-testid="site-row"][data-site-code="${code}"]`);
    await expect(row).toHaveAttribute('data-presence', 'invited');

    // it calls the hub itself, no conference ID and no PIN: its credentials say which site it is, and so which meeting
    await system.command('dial', `sip:hop@127.0.0.1:${sipPort}`);
    await expect.poll(() => remoteSiteCodes(site)).toContain(code);
    await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0x80, 0x40, 0xe0])).toBeLessThan(24);
    expect(await feedTiles(site), 'a site, not a guest feed').toEqual([]);
    await expect(row).toHaveAttribute('data-presence', 'connected');
    await expect(row).toHaveAttribute('data-room-system', 'true');
    await expect(chair.getByTestId('sip-keypad-legend')).toContainText('*2');

    // the roll call: the room keys its head count
    await chair.getByTestId('roll-call-toggle').click();
    await system.pressKeys('*212#');
    await expect(chair.locator(`[data-testid="roll-call-row"][data-site-code="${code}"]`)).toHaveAttribute('data-head-count', '12');

    // the chair's mute reaches its microphone in the SFU, as a page's
    await expect.poll(() => audioArriving(site, code)).toBe(true);
    await row.getByTestId('mute-site').click();
    await expect(row).toHaveAttribute('data-muted', 'true');
    await expect.poll(() => audioArriving(site, code)).toBe(false);

    // a page of the same site cannot take its place while the call lasts
    const page = await openSite(browser, port, meeting, code, '', 'failed');
    await expect(page.getByTestId('connection-state')).toContainText('thiết bị phòng họp');
    await expect(row).toHaveAttribute('data-presence', 'connected');

    // it hangs up: the site left, and the report counts it present with its head count
    await system.command('hangup');
    await expect(row).toHaveAttribute('data-presence', 'left');
    const report = await apiCall<MeetingReport>(port, 'chu-toa', 'GET', `/api/reports/meetings/${meeting}`);
    expect(report.sites.find((s) => s.code === code)).toMatchObject({ attended: true, headCount: 12 });
  } finally {
    await system.stop();
    await apiCall(port, 'admin', 'DELETE', `/api/bridge-points/${code}/room-system`);
  }
});

test('the chair calls a site’s room system from the console: it rings, a busy one is called again, answered it is the site; one outside SIP_ALLOWED_SUBNETS is never called', async ({
  browser,
}) => {
  const port = hub!.port;
  const code = 'XA-03';
  const systemPort = await freeUdpAndTcpPort();
  // a room system that rings until someone in the room takes the call (or rejects it: busy)
  const system = await Baresip.start({
    address: '127.0.0.7',
    sipPort: systemPort,
    user: 'phonghop-xa03',
    colour: '0x20c0c0',
    toneHz: 990,
    controlPort: await freeUdpAndTcpPort(),
    answer: 'manual',
  });
  try {
    await apiCall(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, {
      username: 'phonghop-xa03',
      password: 'mat-khau-phong-hop-xa03',
      address: `sip:phonghop-xa03@127.0.0.7:${systemPort}`,
    });
    const meeting = await createMeeting(port, ['SO-NV', code]);
    const site = await openSite(browser, port, meeting, 'SO-NV');
    const chair = await openChair(browser, port, meeting);
    const row = chair.locator(`[data-testid="site-row"][data-site-code="${code}"]`);
    const state = row.getByTestId('dial-out-state');

    // the chair calls: the console says it rings; the room rejects it (busy): the hub says so and calls again
    await row.getByTestId('call-room-system').click();
    await expect(state).toHaveAttribute('data-state', 'ringing');
    await system.waitFor(/Incoming call from/);
    await system.command('hangup');
    await expect(state).toHaveAttribute('data-state', 'retrying');
    await expect(state).toContainText('bận');
    // the second call: taken in the room
    await expect(state).toHaveAttribute('data-state', 'ringing');
    await system.command('accept');
    await expect(row).toHaveAttribute('data-presence', 'connected');
    await expect(row).toHaveAttribute('data-room-system', 'true');
    await expect(state).toHaveCount(0);
    await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0x20, 0xc0, 0xc0])).toBeLessThan(24);
    // it decodes the program the hub sends it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-sip-dial-out-'));
    try {
      await system.snapshotReceived(path.join(dir, 'received.png'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // the chair hangs it up: the site left
    await row.getByTestId('remove-site').click();
    await expect(row).toHaveAttribute('data-presence', 'removed');
    await expect.poll(() => remoteSiteCodes(site)).not.toContain(code);

    // an address outside SIP_ALLOWED_SUBNETS is refused before any call, in Vietnamese
    await apiCall(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, {
      username: 'phonghop-xa03',
      address: 'sip:phonghop@127.0.0.9',
    });
    const other = await createMeeting(port, [code]);
    const { token } = await login(port, 'chu-toa');
    const refused = await fetch(`http://127.0.0.1:${port}/api/meetings/${other}/room-systems/${code}/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/không nằm trong các mạng được phép/);
  } finally {
    await system.stop();
    await apiCall(port, 'admin', 'DELETE', `/api/bridge-points/${code}/room-system`);
  }
});

test('a meeting scheduled on the console to call its room systems at its start: once started, the hub calls the site’s room system by itself, and it is the site', async ({
  browser,
}) => {
  const port = hub!.port;
  const code = 'XA-06';
  const systemPort = await freeUdpAndTcpPort();
  const system = await Baresip.start({
    address: '127.0.0.7',
    sipPort: systemPort,
    user: 'phonghop-xa06',
    colour: '0xa0a020',
    toneHz: 1100,
    controlPort: await freeUdpAndTcpPort(),
  });
  try {
    await apiCall(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, {
      username: 'phonghop-xa06',
      password: 'mat-khau-phong-hop-xa06',
      address: `sip:phonghop-xa06@127.0.0.7:${systemPort}`,
    });
    // the chair schedules it on the console's form, with the box ticked
    const chair = await signedInPage(browser, port, 'chu-toa', '/chair');
    const form = chair.getByTestId('create-meeting');
    const title = `Họp gọi thiết bị lúc khai mạc ${Date.now()}`;
    await form.locator('input[name="title"]').fill(title);
    for (const invited of ['SO-NV', code]) await form.locator(`input[name="invited"][value="${invited}"]`).check();
    await form.locator('input[name="callRoomSystemsAtStart"]').check();
    await form.locator('button[type="submit"]').click();
    const listed = chair.locator('[data-testid="meeting-row"]', { hasText: title });
    await expect(listed).toHaveCount(1);
    const meeting = (await listed.getAttribute('data-meeting-id'))!;
    expect((await apiCall<MeetingDto>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}`)).callRoomSystemsAtStart).toBe(true);
    const site = await openSite(browser, port, meeting, 'SO-NV', '', 'waiting');

    // started, and nobody presses "call": the room system rings, answers by itself, and is its site
    await listed.getByRole('button', { name: 'Bắt đầu họp' }).click();
    await listed.getByTestId('open-meeting').click();
    const row = chair.locator(`[data-testid="site-row"][data-site-code="${code}"]`);
    await expect(row).toHaveAttribute('data-presence', 'connected');
    await expect(row).toHaveAttribute('data-room-system', 'true');
    await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0xa0, 0xa0, 0x20])).toBeLessThan(24);
  } finally {
    await system.stop();
    await apiCall(port, 'admin', 'DELETE', `/api/bridge-points/${code}/room-system`);
  }
});

/** A meeting with a site's page, and a room system written in Node (`RoomSystemWithoutSsrc`) dialled in with its conference ID and PIN. */
async function meetingWithCaller(
  browser: Browser,
  room: Omit<Parameters<typeof RoomSystemWithoutSsrc.call>[0], 'hub' | 'uri'>,
): Promise<{ port: number; meeting: string; site: Page; caller: RoomSystemWithoutSsrc }> {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV']);
  const site = await openSite(browser, port, meeting, 'SO-NV');
  const dialIn = await apiCall<{ conferenceId: string; pin: string }>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}/dial-in`);
  const caller = await RoomSystemWithoutSsrc.call({
    hub: { address: '127.0.0.1', port: sipPort },
    uri: `sip:${dialIn.conferenceId}*${dialIn.pin}@127.0.0.1:${sipPort}`,
    ...room,
  });
  return { port, meeting, site, caller };
}

test('a room system whose offer says no SSRC (as many Poly and Cisco codecs do) is in the meeting all the same: its picture seen, its voice heard', async ({
  browser,
}) => {
  const { site, caller } = await meetingWithCaller(browser, { from: '127.0.0.8', colour: '0xe0e040', toneHz: 330 });
  try {
    await expect.poll(() => feedTiles(site)).toHaveLength(1);
    const code = (await feedTiles(site))[0]!;
    await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0xe0, 0xe0, 0x40])).toBeLessThan(24);
    const energyBefore = await heardEnergy(site, code);
    await expect.poll(() => heardEnergy(site, code)).toBeGreaterThan(energyBefore + 0.5);
  } finally {
    await caller.hangUp();
  }
  await expect.poll(() => feedTiles(site)).toHaveLength(0);
});

/** The colour of the presentation a page shows (its content tile's centre), read through a canvas. */
function contentColour(page: Page): Promise<number[] | null> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="content-tile"] video');
    if (!video || video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(video, 0, 0);
    return Array.from(g.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data.slice(0, 3));
  });
}

test('a room system presents its laptop over BFCP: granted while nobody presents, seen by the sites; the chair takes the floor back and its grant is revoked; released, the floor is free', async ({
  browser,
}) => {
  const { port, meeting, site, caller } = await meetingWithCaller(browser, {
    from: '127.0.0.16',
    colour: '0x4040e0',
    toneHz: 350,
    content: { colour: '0xe02020' },
  });
  const floor = await caller.contentFloor();
  const request = async (): Promise<ReadBfcp> => {
    const transaction = floor.send(bfcp.FloorRequest, [uint16Attribute(2, 1)]);
    return floor.next((m) => m.transactionId === transaction);
  };
  try {
    await expect.poll(() => feedTiles(site)).toHaveLength(1);
    const code = (await feedTiles(site))[0]!;
    const hello = floor.send(bfcp.Hello);
    expect((await floor.next((m) => m.transactionId === hello)).primitive).toBe(bfcp.HelloAck);

    // nobody presents: granted; its laptop's picture is the meeting's presentation
    expect(requestStatusOf(await request())).toBe(bfcp.Granted);
    caller.sendContent();
    await expect(site.getByTestId('content-tile')).toHaveAttribute('data-site-code', code);
    await expect.poll(async () => distance(await contentColour(site), [0xe0, 0x20, 0x20])).toBeLessThan(24);

    // the chair takes the floor back: the room system is told its grant is revoked, and its picture is gone
    const chair = await openChair(browser, port, meeting);
    const row = chair.locator(`[data-testid="feed-row"][data-feed-code="${code}"]`);
    await expect(row.getByTestId('feed-present')).toHaveAttribute('aria-pressed', 'true');
    await row.getByTestId('feed-present').click();
    const revoked = await floor.next((m) => m.transactionId === 0 && m.primitive === bfcp.FloorRequestStatus);
    expect(requestStatusOf(revoked)).toBe(bfcp.Revoked);
    await expect(site.getByTestId('content-tile')).toHaveCount(0);

    // it asks again: granted, seen again; it releases: the floor is free, nobody's presentation shown
    const granted = await request();
    expect(requestStatusOf(granted)).toBe(bfcp.Granted);
    await expect(site.getByTestId('content-tile')).toHaveAttribute('data-site-code', code);
    await expect(row.getByTestId('feed-present')).toHaveAttribute('aria-pressed', 'true');
    const requestId = granted.attributes.find(([type]) => type === 15)![1].readUInt16BE(0);
    const release = floor.send(bfcp.FloorRelease, [uint16Attribute(3, requestId)]);
    expect(requestStatusOf(await floor.next((m) => m.transactionId === release))).toBe(bfcp.Released);
    await expect(site.getByTestId('content-tile')).toHaveCount(0);
    await expect(row.getByTestId('feed-present')).toHaveAttribute('aria-pressed', 'false');
  } finally {
    floor.close();
    await caller.hangUp();
  }
  await expect.poll(() => feedTiles(site)).toHaveLength(0);
});

/** A page presents a slide of one colour (a 1280×720 canvas, redrawn: its stream keeps sending) as its screen. */
async function presentColour(page: Page, colour: string): Promise<void> {
  await page.evaluate((fill) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const g = canvas.getContext('2d')!;
    let frame = 0;
    const draw = () => {
      g.fillStyle = fill;
      g.fillRect(0, 0, 1280, 720);
      // a corner that changes: the encoder keeps sending frames
      g.fillStyle = frame++ % 2 ? '#000' : '#fff';
      g.fillRect(0, 0, 8, 8);
    };
    draw();
    setInterval(draw, 200);
    const stream = canvas.captureStream(15);
    navigator.mediaDevices.getDisplayMedia = async () => stream;
  }, colour);
  await page.getByTestId('present').click();
  await expect(page.getByTestId('present')).toHaveAttribute('aria-pressed', 'true');
}

test('a site presents: a room system watching the floor over BFCP is told it is held, and receives the presentation on its content line as the browser sent it', async ({
  browser,
}) => {
  const { site, caller } = await meetingWithCaller(browser, {
    from: '127.0.0.17',
    colour: '0x404040',
    toneHz: 370,
    content: { colour: '0x000000' },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-e2e-sip-content-'));
  const floor = await caller.contentFloor();
  // it listens on its content line before anyone presents (the presentation's first key frame comes as it starts)
  const received = caller.receiveContent(path.join(dir, 'content.png'));
  try {
    await expect.poll(() => feedTiles(site)).toHaveLength(1);
    // it watches the floor: nobody holds it
    const query = floor.send(bfcp.FloorQuery, [uint16Attribute(2, 1)]);
    expect(requestStatusOf(await floor.next((m) => m.transactionId === query))).toBeUndefined();

    await presentColour(site, '#20c040');
    const held = await floor.next((m) => m.transactionId === 0 && m.primitive === bfcp.FloorStatus);
    expect(requestStatusOf(held)).toBe(bfcp.Granted);
    // the slide reaches it on its content line: decoded, its colour
    await received.done;
    expect(distance(fileMeanColour(path.join(dir, 'content.png')), [0x20, 0xc0, 0x40])).toBeLessThan(24);

    // it asks for the floor meanwhile: denied, the site still presenting
    const refused = floor.send(bfcp.FloorRequest, [uint16Attribute(2, 1)]);
    expect(requestStatusOf(await floor.next((m) => m.transactionId === refused))).toBe(bfcp.Denied);

    // the site stops: the room system hears the floor is free
    const before = floor.received.length;
    await site.getByTestId('present').click();
    const free = await floor.next((m) => m.transactionId === 0 && m.primitive === bfcp.FloorStatus, before);
    expect(requestStatusOf(free)).toBeUndefined();
  } finally {
    received.stop();
    floor.close();
    await caller.hangUp();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the chair calls a room system with a content channel: it takes the hub’s content line and BFCP, and presents its laptop to the sites', async ({
  browser,
}) => {
  const port = hub!.port;
  const code = 'XA-05';
  const answering = await RoomSystemWithoutSsrc.answer({
    from: '127.0.0.18',
    colour: '0x30a0a0',
    toneHz: 410,
    content: { colour: '0xe02020' },
  });
  let system: RoomSystemWithoutSsrc | undefined;
  let floor: BfcpClient | undefined;
  try {
    await apiCall(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, {
      username: 'phonghop-xa05',
      password: 'mat-khau-phong-hop-xa05',
      address: answering.uri,
    });
    const meeting = await createMeeting(port, ['SO-NV', code]);
    const site = await openSite(browser, port, meeting, 'SO-NV');
    await apiCall(port, 'chu-toa', 'POST', `/api/meetings/${meeting}/room-systems/${code}/call`);
    system = await answering.called;
    expect(system.contentTaken).toBe(true);
    await expect.poll(() => remoteSiteCodes(site)).toContain(code);

    // it asks for the floor on the hub's server, from its own address: granted, its laptop is the presentation
    floor = await system.contentFloor();
    const request = floor.send(bfcp.FloorRequest, [uint16Attribute(2, 1)]);
    const granted = await floor.next((m) => m.transactionId === request);
    expect(requestStatusOf(granted)).toBe(bfcp.Granted);
    system.sendContent();
    await expect(site.getByTestId('content-tile')).toHaveAttribute('data-site-code', code);
    await expect.poll(async () => distance(await contentColour(site), [0xe0, 0x20, 0x20])).toBeLessThan(24);
    // released: the floor is free
    const requestId = granted.attributes.find(([type]) => type === 15)![1].readUInt16BE(0);
    const release = floor.send(bfcp.FloorRelease, [uint16Attribute(3, requestId)]);
    expect(requestStatusOf(await floor.next((m) => m.transactionId === release))).toBe(bfcp.Released);
    await expect(site.getByTestId('content-tile')).toHaveCount(0);
  } finally {
    floor?.close();
    if (system) await system.hangUp();
    else answering.close();
    await apiCall(port, 'admin', 'DELETE', `/api/bridge-points/${code}/room-system`);
  }
});

test('a room system without SRTP is refused, unless the admin allows it plain RTP: then it is its site, its picture seen', async ({
  browser,
}) => {
  const port = hub!.port;
  const code = 'XA-04';
  const account = { username: 'phonghop-xa04', password: 'mat-khau-phong-hop-xa04' };
  await apiCall(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, { ...account, address: null });
  const system = await Baresip.start({
    address: '127.0.0.11',
    sipPort: await freeUdpAndTcpPort(),
    user: account.username,
    colour: '0xe06020',
    toneHz: 523,
    controlPort: await freeUdpAndTcpPort(),
    account: { hub: `127.0.0.1:${sipPort}`, ...account },
    media: 'rtp',
  });
  try {
    const meeting = await createMeeting(port, ['SO-NV', code]);
    const site = await openSite(browser, port, meeting, 'SO-NV');
    // its media would cross the network unencrypted: refused, saying why
    await system.command('dial', `sip:hop@127.0.0.1:${sipPort}`);
    await system.waitFor(/488 Not Acceptable Here/);
    expect(await remoteSiteCodes(site)).not.toContain(code);
    // the admin allows it (the province's network for this room only), the password kept
    const allowed = await apiCall<RoomSystemDto>(port, 'admin', 'PUT', `/api/bridge-points/${code}/room-system`, {
      username: account.username,
      allowPlainRtp: true,
    });
    expect(allowed.allowPlainRtp).toBe(true);
    await system.command('dial', `sip:hop@127.0.0.1:${sipPort}`);
    await expect.poll(() => remoteSiteCodes(site)).toContain(code);
    await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0xe0, 0x60, 0x20])).toBeLessThan(24);
    await system.command('hangup');
    await expect.poll(() => remoteSiteCodes(site)).not.toContain(code);
  } finally {
    await system.stop();
    await apiCall(port, 'admin', 'DELETE', `/api/bridge-points/${code}/room-system`);
  }
});

test('a source that guesses PINs across calls is locked out: after 10 wrong ones, even the right PIN is refused from it', async () => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV']);
  const dialIn = await apiCall<{ conferenceId: string; pin: string }>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}/dial-in`);
  /** The hub's refusal of a call with `pin`, or "answered" (then hung up: nothing of it outlives the test). */
  const refusal = (pin: string) =>
    RoomSystemWithoutSsrc.call({
      hub: { address: '127.0.0.1', port: sipPort },
      uri: `sip:${dialIn.conferenceId}*${pin}@127.0.0.1:${sipPort}`,
      // an address of its own: the lockout is by source, and lasts longer than this file's tests
      from: '127.0.0.10',
      colour: '0x000000',
      toneHz: 440,
    }).then(
      async (call) => {
        await call.hangUp();
        return 'answered';
      },
      (error: Error) => error.message,
    );
  const wrong = dialIn.pin === '000000' ? '111111' : '000000';
  // each wrong PIN its own call (one call gets three tries when keyed; in the address, one)
  for (let guess = 1; guess <= 10; guess++) expect(await refusal(wrong)).toContain('403');
  expect(await refusal(dialIn.pin)).toContain('403');
});

test('a room system calls over TLS on SIP_TLS_PORT, trusting the hub’s CA: its signalling (the SDES keys of its media) encrypted, it is in the meeting', async ({
  browser,
}) => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV']);
  const site = await openSite(browser, port, meeting, 'SO-NV');
  const dialIn = await apiCall<{ conferenceId: string; pin: string }>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}/dial-in`);
  await roomSystem!.command('dial', `sip:${dialIn.conferenceId}*${dialIn.pin}@127.0.0.1:${sipTlsPort};transport=tls`);
  await expect.poll(() => feedTiles(site)).toHaveLength(1);
  const code = (await feedTiles(site))[0]!;
  await expect.poll(async () => distance(await tileColour(site, code, 'centre'), [0xc0, 0x30, 0x90])).toBeLessThan(24);
  await roomSystem!.command('hangup');
  await expect.poll(() => feedTiles(site)).toHaveLength(0);
});

test('a caller that keys a wrong PIN three times hears the questions, is never a site of the meeting, and is hung up', async ({
  browser,
}) => {
  const port = hub!.port;
  const meeting = await createMeeting(port, ['SO-NV']);
  const site = await openSite(browser, port, meeting, 'SO-NV');
  const dialIn = await apiCall<{ conferenceId: string; pin: string }>(port, 'chu-toa', 'GET', `/api/meetings/${meeting}/dial-in`);
  const before = await remoteSiteCodes(site);
  const wrong = dialIn.pin === '000000' ? '111111' : '000000';
  const ended = roomSystem!.output.split(/closed|terminated/i).length;
  await roomSystem!.command('dial', `sip:${dialIn.conferenceId}@127.0.0.1:${sipPort}`);
  // answered: what it hears from now on is written to this call's own dump
  await roomSystem!.waitFor(new RegExp(`Call established: sip:${dialIn.conferenceId}@`));
  for (let attempt = 1; attempt <= 3; attempt++) {
    // each question is heard before the keys are pressed
    const heard = roomSystem!.heardBytes();
    await expect.poll(() => roomSystem!.heardBytes()).toBeGreaterThan(heard);
    await roomSystem!.pressKeys(`${wrong}#`);
  }
  await expect.poll(() => roomSystem!.output.split(/closed|terminated/i).length).toBeGreaterThan(ended);
  expect(await remoteSiteCodes(site)).toEqual(before);
  // what it heard (whole once the call ended): the hub's questions, said aloud
  expect(await soundLevel(roomSystem!.heardFile), 'the questions are heard').toBeGreaterThan(-50);
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
  const outside = await add(hub!.port, 'sip:mcu@127.0.0.5:5060');
  expect(outside).toEqual({ status: 400, message: expect.stringContaining('không nằm trong các mạng được phép') });
  const malformed = await add(hub!.port, 'sip:mcu@127.0.0.2;maddr=10.0.0.9');
  expect(malformed).toEqual({ status: 400, message: expect.stringContaining('địa chỉ SIP dạng') });
  // the shared hub runs with SIP off
  const off = await add(hubs.standard, 'sip:mcu@127.0.0.2');
  expect(off).toEqual({ status: 409, message: expect.stringContaining('SIP=off') });
});
