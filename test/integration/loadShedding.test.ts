import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraSimulatorFarm } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import type { CameraDto } from '../../shared/cameras.js';
import type { ShedStep } from '../../shared/protocol.js';
import { WorkerFlood } from '../support/workerFlood.js';
import { joinAndProduce, nextEvent, request, startTestHub, type TestHub, type TestSocket } from './helpers.js';

const rtspBasePort = 20500;
/** A simulcast VP8 camera with three temporal layers per encoding, as Chromium sends it. */
const simulcastCamera = (base: number) => ({
  codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }],
  encodings: [base, base + 1, base + 2].map((ssrc) => ({ ssrc, scalabilityMode: 'L1T3' })),
});

/**
 * The meeting first: a hub whose only worker is made to run short by real forwarding load (a crowd of
 * consumers, `WorkerFlood`) gives up the walls' new streams, then the thumbnails' frame rate, tells every
 * page, counts it in /metrics, and takes it all back once the load is gone. The large tile and a stream a
 * station already watches are never touched.
 */
describe('the meeting first: what the hub gives up when its machine runs short', () => {
  let hub: TestHub;
  let farm: CameraSimulatorFarm;
  let flood: WorkerFlood | undefined;

  beforeAll(async () => {
    farm = await CameraSimulatorFarm.start({ cameras: 2, rtspBasePort });
    // the product's marks; three calm readings to take a step back instead of ten, so the test waits less
    hub = await startTestHub({ workers: 1, loadShedding: { highPercent: 85, lowPercent: 60, leaveSamples: 3 } });
  });
  afterAll(async () => {
    flood?.stop();
    await hub?.close();
    await farm?.close();
  });

  const metric = async (step: ShedStep, name: 'hub_load_shed_step' | 'hub_load_shed_taken_total') => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    return Number(new RegExp(`^${name}\\{step="${step}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  };

  /** The steps the socket was last told (`load:state`), kept as they come. */
  /**
   * What a page is told of the steps taken: the latest, and every state in the order told (a step lasts as long as
   * the load says, so a state between two may be over before a poll looks: the history keeps it).
   */
  const toldSteps = (socket: TestSocket) => {
    const told = { steps: [] as ShedStep[], history: [] as ShedStep[][] };
    socket.on('load:state', ({ steps }) => {
      told.steps = steps;
      if (told.history.at(-1)?.join() !== steps.join()) told.history.push(steps);
    });
    return told;
  };

  async function station(): Promise<TestSocket> {
    const socket = await hub.connect('giam-sat');
    const joined = await request(socket, 'wall:join', {});
    await request(socket, 'wall:setRtpCapabilities', { rtpCapabilities: joined.data.routerRtpCapabilities });
    await request(socket, 'wall:createTransport', {});
    return socket;
  }

  it('gives up new wall streams, then the thumbnails’ frame rate; says so to every page and in /metrics; takes it back when load falls', async () => {
    const admin = await hub.login('admin');
    const cameraIds: number[] = [];
    for (const n of [1, 2]) {
      const { status, body } = await hub.api<CameraDto>('POST', '/api/cameras', {
        token: admin,
        body: { name: `Quầy ${n}`, unitName: 'Trung tâm Phục vụ hành chính công tỉnh', counter: `Quầy ${n}`, ...farm.registration(n) },
      });
      expect(status).toBe(201);
      cameraIds.push(body.id);
    }
    const [watchedCamera, newCamera] = cameraIds as [number, number];

    // a station watches one counter before the machine runs short
    const wall = await station();
    const wallTold = toldSteps(wall);
    const available = nextEvent(wall, 'camera:available', (a) => a.cameraId === watchedCamera);
    expect(await request(wall, 'wall:watch', { cameraId: watchedCamera, profile: 'sub' })).toMatchObject({ ok: true });
    await available;

    // a meeting: the viewer shows one site large and the other as a thumbnail
    const meeting = await hub.createMeeting(['XA-01', 'XA-02']);
    await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') });
    const large = await joinAndProduce(await hub.connect('xa-01'), meeting.id, 'camera', simulcastCamera(7100));
    const small = await joinAndProduce(await hub.connect('xa-02'), meeting.id, 'camera', simulcastCamera(7200));
    const viewer = await hub.connect('chu-toa');
    const viewerTold = toldSteps(viewer);
    const joined = await request(viewer, 'meeting:join', { meetingId: meeting.id });
    await request(viewer, 'meeting:setRtpCapabilities', { rtpCapabilities: joined.data.routerRtpCapabilities });
    await request(viewer, 'transport:create', { direction: 'recv' });
    const largeTile = (await request(viewer, 'consumer:create', { producerId: large.producerId, spatialLayer: 2, tile: 'large' })).data;
    const thumbnail = (await request(viewer, 'consumer:create', { producerId: small.producerId, spatialLayer: 0, tile: 'thumbnail' })).data;
    const room = (await hub.media.existingRoom(meeting.id))!;
    const layersOf = (consumerId: string) => room.peer(joined.data.peerId).consumer(consumerId).preferredLayers;
    expect(layersOf(thumbnail.consumerId)).toEqual({ spatialLayer: 0, temporalLayer: 2 });
    expect(await metric('walls', 'hub_load_shed_step')).toBe(0);

    // the machine runs short: the worker forwards for a crowd
    flood = await WorkerFlood.start(hub.media.workerPool.workers[0]!.worker);
    // as many copies as it takes this machine's worker well past the high mark
    await flood.widenUntil(() => hub.media.loadPercent >= 90);
    // the walls are given up first (the thumbnails may follow before this looks: the next step's own check below)
    await expect.poll(() => wallTold.history, { timeout: 120_000 }).toContainEqual(['walls']);
    expect(wallTold.history.find((steps) => steps.length > 0)).toEqual(['walls']);
    expect(await metric('walls', 'hub_load_shed_step')).toBe(1);
    // a stream no station watches yet waits (no new pull); the one already pulled is still shared
    expect(await request(wall, 'wall:watch', { cameraId: newCamera, profile: 'sub' })).toEqual({
      ok: false,
      error: { code: 'HUB_BUSY', message: 'Máy chủ đang quá tải: luồng camera mới sẽ mở khi tải giảm.', messageKey: 'wall.busy' },
    });
    expect(hub.app.cameras.isPulling(newCamera, 'sub')).toBe(false);
    const shared = await request(wall, 'wall:watch', { cameraId: watchedCamera, profile: 'sub' });
    expect(shared.data.consumer.producerId).toBeTruthy();

    // still short: the thumbnails go to their lowest frame rate; the large tile keeps its own
    await expect.poll(() => viewerTold.steps, { timeout: 120_000 }).toEqual(['walls', 'thumbnails']);
    await expect.poll(() => layersOf(thumbnail.consumerId)).toEqual({ spatialLayer: 0, temporalLayer: 0 });
    expect(layersOf(largeTile.consumerId)).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    // a thumbnail made now starts lowered; a tile moved to the large one gets its rate back
    const moved = await request(viewer, 'consumer:setPreferredLayers', {
      consumerId: thumbnail.consumerId,
      spatialLayer: 2,
      tile: 'large',
    });
    expect(moved).toEqual({ ok: true, data: null });
    expect(layersOf(thumbnail.consumerId)).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    await request(viewer, 'consumer:setPreferredLayers', { consumerId: thumbnail.consumerId, spatialLayer: 0, tile: 'thumbnail' });
    expect(layersOf(thumbnail.consumerId)).toEqual({ spatialLayer: 0, temporalLayer: 0 });
    // a page that connects now is told as it connects (its listener set before, as the pages set theirs)
    const late: TestSocket = io(hub.url, { transports: ['websocket'], reconnection: false, auth: { token: await hub.login('giam-sat') } });
    try {
      expect(await nextEvent(late, 'load:state')).toEqual({ steps: ['walls', 'thumbnails'] });
    } finally {
      late.close();
    }
    expect(await metric('thumbnails', 'hub_load_shed_step')).toBe(1);
    expect(await metric('walls', 'hub_load_shed_taken_total')).toBe(1);
    expect(await metric('thumbnails', 'hub_load_shed_taken_total')).toBe(1);

    // the load goes: everything comes back, the last given up first
    const toldBeforeRelief = viewerTold.history.length;
    flood.stop();
    flood = undefined;
    await expect.poll(() => wallTold.steps, { timeout: 120_000 }).toEqual([]);
    await expect.poll(() => viewerTold.steps, { timeout: 120_000 }).toEqual([]);
    expect(viewerTold.history.slice(toldBeforeRelief)).toEqual([['walls'], []]);
    expect(layersOf(thumbnail.consumerId)).toEqual({ spatialLayer: 0, temporalLayer: 2 });
    expect(await metric('walls', 'hub_load_shed_step')).toBe(0);
    expect(await metric('thumbnails', 'hub_load_shed_step')).toBe(0);
    const opened = nextEvent(wall, 'camera:available', (a) => a.cameraId === newCamera);
    expect(await request(wall, 'wall:watch', { cameraId: newCamera, profile: 'sub' })).toMatchObject({ ok: true });
    await opened;
  });
});
