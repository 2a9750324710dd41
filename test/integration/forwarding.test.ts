import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConsumerCounts } from '../../media-server/index.js';
import {
  joinAndProduce,
  nextEvent,
  opusParameters,
  request,
  startTestHub,
  vp8Parameters,
  type TestHub,
  type TestSocket,
} from './helpers.js';

/**
 * What the SFU forwards to a viewer, over the socket events: at most nine videos resumed at once
 * (the large tile and eight thumbnails), paused and closed consumers, and at most three microphones.
 * The senders' producers are real mediasoup producers on WebRTC transports that carry no packets; the
 * loudest-microphone choice with real audio is in test/e2e/subscriptions.spec.ts.
 */
describe('forwarding only what a page shows', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  /** Joins the site and produces one stream; returns its socket and producer id. */
  async function sender(meetingId: string, site: string, kind: 'video' | 'audio', ssrc: number) {
    const socket = await hub.connect(site.toLowerCase());
    const { producerId } =
      kind === 'video'
        ? await joinAndProduce(socket, meetingId, 'camera', vp8Parameters(ssrc))
        : await joinAndProduce(socket, meetingId, 'microphone', opusParameters(ssrc));
    return { socket, producerId };
  }

  /** Joins the site with a three-layer simulcast camera; `told` collects the layers dynacast asks it to encode. */
  async function simulcastPublisher(meetingId: string, site: string, ssrcs: number[]) {
    const publisher = await hub.connect(site);
    const told: number[] = [];
    publisher.on('producer:maxSpatialLayer', ({ spatialLayer }) => told.push(spatialLayer));
    const { producerId } = await joinAndProduce(publisher, meetingId, 'camera', vp8Parameters(...ssrcs));
    return { producerId, told };
  }

  async function viewer(meetingId: string, site: string): Promise<TestSocket> {
    const socket = await hub.connect(site.toLowerCase());
    const joined = await request(socket, 'meeting:join', { meetingId });
    await request(socket, 'meeting:setRtpCapabilities', { rtpCapabilities: joined.data.routerRtpCapabilities });
    await request(socket, 'transport:create', { direction: 'recv' });
    return socket;
  }

  async function countsOf(meetingId: string, code: string): Promise<RoomConsumerCounts> {
    const { body } = await hub.api<{ sites: Array<{ code: string; consumers: RoomConsumerCounts }> }>(
      'GET',
      `/api/meetings/${meetingId}/media`,
      { token: await hub.login('chu-toa') },
    );
    return body.sites.find((s) => s.code === code)!.consumers;
  }

  async function startedMeeting(codes: string[]) {
    const meeting = await hub.createMeeting(codes);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
    return meeting.id;
  }

  it('resumes at most nine videos for a viewer; a paused one frees its place and a closed one is gone', async () => {
    const sites = Array.from({ length: 10 }, (_, i) => `XA-${String(i + 1).padStart(2, '0')}`);
    const meetingId = await startedMeeting(['SO-NV', ...sites]);
    const senders = [];
    for (const [i, site] of sites.entries()) senders.push(await sender(meetingId, site, 'video', 1000 + i));
    const watcher = await viewer(meetingId, 'SO-NV');
    const consumers: string[] = [];
    for (const { producerId } of senders) consumers.push((await request(watcher, 'consumer:create', { producerId })).data.consumerId);
    // created paused: nothing is sent until the page shows them
    expect(await countsOf(meetingId, 'SO-NV')).toEqual({ total: 10, video: 10, audio: 0, forwardedVideo: 0, forwardedAudio: 0 });

    for (const consumerId of consumers.slice(0, 9))
      expect(await request(watcher, 'consumer:resume', { consumerId })).toMatchObject({ ok: true });
    expect(await request(watcher, 'consumer:resume', { consumerId: consumers[9]! })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_ERROR', message: 'Chỉ xem được tối đa 9 hình cùng lúc: hãy tắt bớt một hình trước.' },
    });
    expect(await countsOf(meetingId, 'SO-NV')).toMatchObject({ video: 10, forwardedVideo: 9 });

    // a tile paged away: paused, kept; its place goes to the tenth
    expect(await request(watcher, 'consumer:pause', { consumerId: consumers[0]! })).toEqual({ ok: true, data: null });
    expect(await request(watcher, 'consumer:resume', { consumerId: consumers[9]! })).toEqual({ ok: true, data: null });
    // resuming one already shown is no new place
    expect(await request(watcher, 'consumer:resume', { consumerId: consumers[9]! })).toEqual({ ok: true, data: null });
    expect(await countsOf(meetingId, 'SO-NV')).toMatchObject({ video: 10, forwardedVideo: 9 });

    expect(await request(watcher, 'consumer:close', { consumerId: consumers[0]! })).toEqual({ ok: true, data: null });
    expect(await countsOf(meetingId, 'SO-NV')).toMatchObject({ total: 9, video: 9, forwardedVideo: 9 });
    expect(await request(watcher, 'consumer:resume', { consumerId: consumers[0]! })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // the meeting's own totals add the sites up
    const { body } = await hub.api<{ consumers: RoomConsumerCounts }>('GET', `/api/meetings/${meetingId}/media`, {
      token: await hub.login('chu-toa'),
    });
    expect(body.consumers).toEqual({ total: 9, video: 9, audio: 0, forwardedVideo: 9, forwardedAudio: 0 });
  });

  it('forwards at most three of the unmuted microphones; a muted one makes room, and the forwarded keep their places', async () => {
    const sites = ['XA-11', 'XA-12', 'XA-13', 'XA-14'];
    const meetingId = await startedMeeting(['SO-TC', ...sites]);
    const senders: Array<{ socket: TestSocket; producerId: string }> = [];
    for (const [i, site] of sites.entries()) senders.push(await sender(meetingId, site, 'audio', 2000 + i));
    const listener = await viewer(meetingId, 'SO-TC');
    for (const { producerId } of senders) {
      const { consumerId } = (await request(listener, 'consumer:create', { producerId })).data;
      expect(await request(listener, 'consumer:resume', { consumerId })).toEqual({ ok: true, data: null });
    }
    await expect.poll(() => countsOf(meetingId, 'SO-TC')).toMatchObject({ audio: 4, forwardedAudio: 3 });
    /** Which senders' microphones the listener's consumers carry now (resumed in the SFU). */
    const flowing = async () => {
      const room = (await hub.media.existingRoom(meetingId))!;
      const peer = [...room.peers].find((p) => p.identity.bridgePointCode === 'SO-TC')!;
      const resumed = new Set([...peer.consumers.values()].filter((c) => !c.paused).map((c) => c.producerId));
      return senders.map((s, i) => (resumed.has(s.producerId) ? sites[i] : null)).filter(Boolean);
    };
    // nobody has spoken yet: the first three to come
    await expect.poll(flowing).toEqual(['XA-11', 'XA-12', 'XA-13']);

    // XA-11 mutes: the fourth is forwarded in its place
    const mute = (i: number, muted: boolean) =>
      request(senders[i]!.socket, muted ? 'producer:pause' : 'producer:resume', { producerId: senders[i]!.producerId });
    expect(await mute(0, true)).toMatchObject({ ok: true });
    await expect.poll(flowing).toEqual(['XA-12', 'XA-13', 'XA-14']);
    // it unmutes: four again, and the three forwarded keep their places
    expect(await mute(0, false)).toMatchObject({ ok: true });
    await expect.poll(() => countsOf(meetingId, 'SO-TC')).toMatchObject({ audio: 4, forwardedAudio: 3 });
    expect(await flowing()).toEqual(['XA-12', 'XA-13', 'XA-14']);
  });

  // what Dynacast decides, and when, is test/unit/dynacast.test.ts; here that its word reaches the publisher
  it('tells a publisher which simulcast layers its viewers need (dynacast), over its socket', async () => {
    const meetingId = await startedMeeting(['SO-XD', 'XA-15']);
    const { producerId, told } = await simulcastPublisher(meetingId, 'xa-15', [3001, 3002, 3003]);
    // nobody receives it: down to the lowest layer once the grace has passed
    await expect.poll(() => told).toEqual([0]);
    const watcher = await viewer(meetingId, 'SO-XD');
    const { consumerId } = (await request(watcher, 'consumer:create', { producerId })).data;
    await request(watcher, 'consumer:resume', { consumerId });
    // shown large: the top layer
    await expect.poll(() => told).toEqual([0, 2]);
  });

  it('makes a consumer at the layer its tile shows, so dynacast never sees a thumbnail ask for the top layer', async () => {
    const meetingId = await startedMeeting(['SO-TC', 'XA-16']);
    const { producerId, told } = await simulcastPublisher(meetingId, 'xa-16', [3101, 3102, 3103]);
    await expect.poll(() => told).toEqual([0]);
    const watcher = await viewer(meetingId, 'SO-TC');
    const { consumerId } = (await request(watcher, 'consumer:create', { producerId, spatialLayer: 0 })).data;
    await request(watcher, 'consumer:resume', { consumerId });
    const room = (await hub.media.existingRoom(meetingId))!;
    const consumer = [...room.peers].flatMap((peer) => [...peer.consumers.values()]).find((c) => c.id === consumerId)!;
    expect(consumer.preferredLayers?.spatialLayer).toBe(0);
    // a thumbnail from its first packet: the publisher is never asked for its top layer
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(told).toEqual([0]);
  });

  it('never names a site the active speaker before it is heard', async () => {
    const meetingId = await startedMeeting(['SO-VHTTDL', 'XA-18']);
    // an open microphone that sends nothing (a silent room): the observer's only candidate
    await joinAndProduce(await hub.connect('xa-18'), meetingId, 'microphone', opusParameters(3301));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await hub.media.existingRoom(meetingId))!.activeSpeakerPeerId).toBeNull();
  });

  it('announces a microphone produced muted as paused, and never names a muted site the active speaker', async () => {
    const meetingId = await startedMeeting(['SO-YT', 'XA-17']);
    const listener = await viewer(meetingId, 'SO-YT');
    const announced = nextEvent(listener, 'producer:new');
    const muted = await hub.connect('xa-17');
    await request(muted, 'meeting:join', { meetingId });
    const transport = await request(muted, 'transport:create', { direction: 'send' });
    const produced = await request(muted, 'producer:create', {
      transportId: transport.data.id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: opusParameters(3201),
      paused: true,
    });
    expect(produced.ok).toBe(true);
    expect(await announced).toMatchObject({ producerId: produced.data.producerId, source: 'microphone', paused: true });
    // the only microphone: the speaker detection would name it at its next interval (300 ms)
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await hub.media.existingRoom(meetingId))!.activeSpeakerPeerId).toBeNull();
  });

  it('refuses a video the viewer cannot decode, and says so in words', async () => {
    const meetingId = await startedMeeting(['SO-GDDT', 'XA-19']);
    const { producerId } = await joinAndProduce(await hub.connect('xa-19'), meetingId, 'camera', vp8Parameters(3401));
    const watcher = await hub.connect('so-gddt');
    const joined = await request(watcher, 'meeting:join', { meetingId });
    const { routerRtpCapabilities } = joined.data as { routerRtpCapabilities: { codecs: Array<{ kind: string }> } };
    // a browser that decodes audio only
    const audioOnly = { ...routerRtpCapabilities, codecs: routerRtpCapabilities.codecs.filter((c) => c.kind === 'audio') };
    await request(watcher, 'meeting:setRtpCapabilities', { rtpCapabilities: audioOnly });
    await request(watcher, 'transport:create', { direction: 'recv' });
    const refused = await request(watcher, 'consumer:create', { producerId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MEDIA_ERROR', messageKey: 'media.cannotDecodeSite' } });
  });
});
