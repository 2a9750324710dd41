import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestCreatedDto } from '../../shared/meetings.js';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { commandLinesHolding } from '../support/commandLines.js';
import { RawRtmpClient } from '../support/rawRtmpClient.js';
import { keepPushing, pushTestPattern } from '../support/testEncoder.js';
import { nextEvent, request, startTestHub, type TestHub, type TestSocket } from './helpers.js';

const push = (url: string, format: 'flv' | 'mpegts', bFrames: number) =>
  pushTestPattern(url, { format, bFrames, toneHz: 440, seconds: 60 });

describe('feeds pushed over RTMP and SRT, or pulled over RTSP', () => {
  let hub: TestHub;
  let chair: string;
  const encoders: ChildProcess[] = [];
  const pushers: Array<{ stop(): void }> = [];
  beforeAll(async () => {
    hub = await startTestHub({ feeds: { listenIp: '127.0.0.1', minPort: 19500, maxPort: 19509 } });
    chair = await hub.login('chu-toa');
  });
  afterEach(() => {
    for (const encoder of encoders.splice(0)) encoder.kill('SIGKILL');
    for (const pusher of pushers.splice(0)) pusher.stop();
  });
  afterAll(async () => hub.close());

  /** Adds the feed to a live meeting a site is in; returns the feed and the site's socket. */
  const liveFeed = async (
    kind: 'rtmp' | 'srt' | 'rtsp',
    source?: string,
  ): Promise<{ feed: IngestCreatedDto; site: TestSocket; meetingId: string }> => {
    const meeting = await hub.createMeeting(['SO-NV']);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair });
    // added before anyone joins: the listener starts with the feed all the same
    const { status, body: feed } = await hub.api<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
      token: chair,
      body: { name: 'Chính phủ', kind, source },
    });
    expect(status).toBe(201);
    const site = await hub.connect('so-nv');
    await request(site, 'meeting:join', { meetingId: meeting.id });
    return { feed, site, meetingId: meeting.id };
  };

  /** The feed's producers as the SFU holds them, once their RTP arrives. */
  const flowing = async (meetingId: string, peerId: string) => {
    const room = (await hub.media.existingRoom(meetingId))!;
    const producers = [...room.peer(peerId).producers.values()];
    const bytes = await Promise.all(producers.map(async (p) => (await p.getStats()).reduce((sum, s) => sum + s.byteCount, 0)));
    return { producers, bytes };
  };

  it('RTMP with the stream key: H.264 without B-frames is passed on as it is, AAC as Opus; a wrong key is refused; the push ending ends the site', async () => {
    const { feed, site, meetingId } = await liveFeed('rtmp');
    expect(feed.url).toBe(`rtmp://127.0.0.1:19500/live/${feed.token}`);

    // a wrong stream key: the listener drops the push (the encoder's connection ends) and nobody joins
    const wrong = push(feed.url.replace(feed.token, 'sai-khoa'), 'flv', 0);
    encoders.push(wrong);
    await new Promise((resolve) => wrong.once('exit', resolve));
    expect([...(await hub.media.existingRoom(meetingId))!.peers].map((p) => p.identity.bridgePointCode)).toEqual(['SO-NV']);
    wrong.kill('SIGKILL');

    // the right key, from an encoder that pushes again until the listener (listening again after the refusal) takes it
    const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
    const encoder = keepPushing(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: 60 });
    pushers.push(encoder);
    const { peerId } = await joined;
    await expect.poll(async () => (await flowing(meetingId, peerId)).bytes.every((b) => b > 10_000)).toBe(true);
    const { producers } = await flowing(meetingId, peerId);
    expect(producers.map((p) => `${p.appData.source}:${p.rtpParameters.codecs[0]!.mimeType}`).sort()).toEqual([
      'camera:video/H264',
      'microphone:audio/opus',
    ]);
    // libx264's High profile, passed through and offered as Main (a transcoded one would be Constrained Baseline)
    expect(producers.find((p) => p.kind === 'video')!.rtpParameters.codecs[0]!.parameters).toMatchObject({ 'profile-level-id': '4d0032' });

    const left = nextEvent(site, 'peer:left', (p) => p.peerId === peerId);
    encoder.stop();
    await left;
    site.disconnect();
  });

  it('RTMP is let in by the hub only after a publish with the key: media without publish, a wrong key and idle connections never reach the meeting, nor keep the encoder out', async () => {
    const { feed, site, meetingId } = await liveFeed('rtmp');
    const port = Number(new URL(feed.url).port);
    const sitesInRoom = async () => [...(await hub.media.existingRoom(meetingId))!.peers].map((p) => p.identity.bridgePointCode);
    const clients: RawRtmpClient[] = [];
    try {
      // connections that do nothing, held open
      for (let i = 0; i < 3; i++) clients.push(await RawRtmpClient.connect(port));

      // connect and createStream answered, then video with no publish at all: dropped before a byte goes further
      const sneaky = await RawRtmpClient.connect(port);
      clients.push(sneaky);
      expect(
        await sneaky.command(3, 0, '_result', 'connect', 1, { app: 'live', type: 'nonprivate', tcUrl: `rtmp://127.0.0.1:${port}/live` }),
      ).toBeDefined();
      expect((await sneaky.command(3, 0, '_result', 'createStream', 2, null))?.[3]).toBe(1);
      sneaky.send(6, 9, 1, Buffer.concat([Buffer.from([0x17, 0x00, 0, 0, 0]), Buffer.alloc(200, 7)]));
      sneaky.send(6, 9, 1, Buffer.concat([Buffer.from([0x17, 0x01, 0, 0, 0]), Buffer.alloc(2000, 9)]));
      await sneaky.ended();

      // a publish with a wrong key: told so, and dropped
      const guesser = await RawRtmpClient.connect(port);
      clients.push(guesser);
      await guesser.command(3, 0, '_result', 'connect', 1, { app: 'live' });
      await guesser.command(3, 0, '_result', 'createStream', 2, null);
      const status = await guesser.command(5, 1, 'onStatus', 'publish', 3, null, 'sai-khoa', 'live');
      expect(status?.[3]).toMatchObject({ code: 'NetStream.Publish.BadName' });
      await guesser.ended();
      expect(await sitesInRoom()).toEqual(['SO-NV']);

      // the real encoder, with the idle connections still open, is let in
      const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
      const encoder = keepPushing(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: 60 });
      pushers.push(encoder);
      const { peerId } = await joined;
      await expect.poll(async () => (await flowing(meetingId, peerId)).bytes.every((b) => b > 10_000)).toBe(true);
      expect((await sitesInRoom()).sort()).toEqual([feed.code, 'SO-NV'].sort());
      // the key is on no command line of the hub's (the gate checks it; ffmpeg reads FLV on its stdin): only the encoder's own
      expect(commandLinesHolding(feed.token).filter((p) => !p.commandLine.includes('testsrc2'))).toEqual([]);
    } finally {
      for (const client of clients) client.close();
      site.disconnect();
    }
  });

  it('RTMP: a feed port another process holds is tried again until it is free, and the encoder then gets in', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const { body: feed } = await hub.api<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
      token: chair,
      body: { name: 'Chính phủ', kind: 'rtmp' },
    });
    // the port, taken by someone else before the meeting starts (and the hub tries to open it)
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(Number(new URL(feed.url).port), '127.0.0.1', resolve));
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: chair });
    const site = await hub.connect('so-nv');
    await request(site, 'meeting:join', { meetingId: meeting.id });
    const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
    const encoder = keepPushing(feed.url, { format: 'flv', bFrames: 0, toneHz: 440, seconds: 60 });
    pushers.push(encoder);
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await joined;
    site.disconnect();
  });

  it('SRT with the passphrase: H.264 with B-frames is transcoded for the browsers', async () => {
    const { feed, site, meetingId } = await liveFeed('srt');
    // the next free port of the feeds' range
    expect(feed.url).toMatch(new RegExp(`^srt://127\\.0\\.0\\.1:1950[1-9]\\?passphrase=${feed.token}&pbkeylen=16$`));
    const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
    encoders.push(push(feed.url, 'mpegts', 3));
    const { peerId } = await joined;
    await expect.poll(async () => (await flowing(meetingId, peerId)).bytes.every((b) => b > 10_000)).toBe(true);
    const { producers } = await flowing(meetingId, peerId);
    expect(producers.find((p) => p.kind === 'video')!.rtpParameters.codecs[0]!.parameters).toMatchObject({ 'profile-level-id': '42e01f' });
    // the hub's listener decrypts with the passphrase, which is on no command line but the encoder's own
    expect(commandLinesHolding(feed.token).filter((p) => !p.commandLine.includes('testsrc2'))).toEqual([]);
    site.disconnect();
  });

  it('RTSP: the source is pulled as a camera is (its credentials kept sealed, not shown), and its H.264 passed on', async () => {
    const farm = await CameraSimulatorFarm.start({ cameras: 1, rtspBasePort: 19620, ptzCameras: [] });
    try {
      const source = farm.pullUri(1, 'main');
      // what an RTSP feed needs, and only it
      const meeting = await hub.createMeeting(['SO-NV']);
      for (const body of [
        { name: 'MCU', kind: 'rtsp' },
        { name: 'MCU', kind: 'rtsp', source: source.replace('rtsp://', 'http://') },
        { name: 'MCU', kind: 'whip', source },
      ]) {
        const refused = await hub.api('POST', `/api/meetings/${meeting.id}/ingests`, { token: chair, body });
        expect(refused.status).toBe(400);
        expect(refused.body.message).toMatch(/^Nguồn: /);
      }

      const { feed, site, meetingId } = await liveFeed('rtsp', source);
      const shown = new URL(source);
      expect(feed.url).toBe(`rtsp://${shown.host}${shown.pathname}`);
      expect(feed.token).toBe('');
      const joined = nextEvent(site, 'peer:joined', (p) => p.bridgePointCode === feed.code);
      const { peerId } = await joined;
      await expect.poll(async () => (await flowing(meetingId, peerId)).bytes.every((b) => b > 10_000)).toBe(true);
      const { producers } = await flowing(meetingId, peerId);
      expect(producers.map((p) => `${p.appData.source}:${p.rtpParameters.codecs[0]!.mimeType}`)).toEqual(['camera:video/H264']);
      // pulled with the source's password, which is on no command line
      expect(commandLinesHolding(shown.password)).toEqual([]);
      // the source's credentials are not in the database in clear
      const row = await hub.database.prisma.meetingIngest.findUniqueOrThrow({ where: { id: feed.id } });
      expect(JSON.stringify(row)).not.toContain(shown.password);
      site.disconnect();
    } finally {
      await farm.close();
    }
  });
});
