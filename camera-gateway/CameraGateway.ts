import { EventEmitter } from 'node:events';
import type { CameraHub } from '../media-server/index.js';
import type { Db, DbTransaction } from '../prisma/index.js';
import {
  motionRegionSchema,
  type AddCameraRequest,
  type CameraDto,
  type CameraStatus,
  type CameraUptimeRow,
  type MotionRegion,
  type RecordMode,
  type StreamProfile,
} from '../shared/cameras.js';
import { uptimeOf } from './cameraUptime.js';
import { CameraFeed } from './CameraFeed.js';
import { FeedPool } from './FeedPool.js';
import { RecordingPulls } from './RecordingPulls.js';
import { defaultFeedOptions, type CameraCredentials, type FeedOptions, type GatewayLog } from './CameraGatewayTypes.js';
import type { CredentialCipher } from './CredentialCipher.js';
import type { CameraUriPolicy } from './CameraUriPolicy.js';
import { CameraHasEvidenceError, CameraNotFoundError, CameraUnreachableError, CameraUriRefusedError } from './errors.js';
import type { Recorder } from './recording/Recorder.js';
import type { OnvifClient } from './OnvifClient.js';
import type { SnapshotLimits } from './SnapshotFetcher.js';
import { CameraControl, type RegisteredDevice } from './CameraControl.js';
import { PictureAnalysis } from './motion/PictureAnalysis.js';
import { DeviceEvents } from './events/DeviceEvents.js';
import { CounterAttendance } from './attendance/CounterAttendance.js';
import { defaultCounterAttendanceOptions, type CounterAttendanceOptions } from './attendance/AttendanceTypes.js';
import { OfficeHours } from './recording/OfficeHours.js';
import { defaultOfficeHours } from './recording/RecordingTypes.js';
import { defaultPullPointOptions, type PullPointOptions } from './events/DeviceEventTypes.js';
import { defaultMotionOptions, type MotionOptions, type TamperKind } from './motion/MotionTypes.js';

type CameraRow = NonNullable<Awaited<ReturnType<Db['camera']['findUnique']>>>;

/** A camera described and checked, ready to be registered (`CameraGateway.prepare`). */
export interface PreparedCamera {
  readonly data: Parameters<Db['camera']['create']>[0]['data'];
}

export type CameraGatewayEvents = {
  /** A camera was added, or its debounced status (already persisted) or its recording state changed. */
  status: [camera: CameraDto];
  /** A stream's producer exists now; viewers waiting for it can consume. */
  available: [cameraId: number, profile: StreamProfile, producerId: string];
  /** A camera was found covered or turned away (kind), or looks right again (null); already persisted. */
  tamper: [camera: CameraDto, kind: TamperKind | null];
};

/**
 * The camera registry (Prisma) and the feeds behind the wall: a stream is pulled while someone
 * watches it or the camera is pinned, once for all viewers, and stopped a little after the last
 * viewer leaves. Status changes from the media are persisted as CameraEvents and re-emitted.
 */
export class CameraGateway extends EventEmitter<CameraGatewayEvents> {
  readonly #prisma: Db;
  readonly #hub: CameraHub;
  readonly #cipher: CredentialCipher;
  readonly #onvif: OnvifClient;
  readonly #options: FeedOptions;
  readonly #log: GatewayLog;
  readonly #feeds: FeedPool;
  /** Each running pull's last status, per camera; and the camera's status last recorded. */
  readonly #feedStatuses = new Map<number, Map<StreamProfile, CameraStatus>>();
  readonly #reported = new Map<number, CameraStatus>();
  readonly #cameras = new Map<number, CameraRow>();
  readonly #uris: CameraUriPolicy;
  readonly #recorder?: Recorder;
  readonly #recordings?: RecordingPulls;
  /** What an operator asks of a registered camera itself (ONVIF and its snapshot URI). */
  readonly control: CameraControl;
  readonly #motion: MotionOptions;
  /** The analysis of each camera whose wall stream is pulled (its pictures, motion and tamper). */
  readonly #analyses = new Map<number, Promise<PictureAnalysis>>();
  /** Each tampered camera's open CameraTamper row. */
  readonly #tampers = new Map<number, { id: number; kind: TamperKind }>();
  /** The cameras' own ONVIF events (motion, tamper, video loss). */
  readonly deviceEvents: DeviceEvents;
  /** Whether someone is at each watched counter's desk, from the motion in its staff zone. */
  readonly attendance: CounterAttendance;
  /** Tamper rows are written one at a time, in the order the pictures said. */
  #tamperWrites: Promise<void> = Promise.resolve();

  constructor(deps: {
    prisma: Db;
    hub: CameraHub;
    cipher: CredentialCipher;
    onvif: OnvifClient;
    log: GatewayLog;
    /** Where a camera's stream and snapshot URIs may point. */
    uris: CameraUriPolicy;
    options?: Partial<FeedOptions>;
    snapshotLimits?: SnapshotLimits;
    /** Records the cameras' main streams from the wall's pulls; live only without. */
    recorder?: Recorder;
    /** The wall streams' analysis (motion is stored only with a recorder; tamper is judged either way). */
    motion?: Partial<MotionOptions>;
    /** How the cameras' ONVIF events are pulled. */
    deviceEvents?: Partial<PullPointOptions>;
    /** Counter attendance (the office hours are the recorder's). */
    attendance?: Partial<CounterAttendanceOptions>;
  }) {
    super();
    this.attendance = new CounterAttendance({
      prisma: deps.prisma,
      log: deps.log,
      options: { ...defaultCounterAttendanceOptions, ...deps.attendance },
      officeHours: new OfficeHours(deps.recorder?.options.officeHours ?? defaultOfficeHours),
    });
    this.attendance.on('changed', (cameraId) => {
      if (this.#cameras.has(cameraId)) this.emit('status', this.get(cameraId));
    });
    this.deviceEvents = new DeviceEvents({
      prisma: deps.prisma,
      log: deps.log,
      options: { ...defaultPullPointOptions, ...deps.deviceEvents },
    });
    this.#motion = { ...defaultMotionOptions, ...deps.motion, tamper: { ...defaultMotionOptions.tamper, ...deps.motion?.tamper } };
    this.#log = deps.log;
    this.#prisma = deps.prisma;
    this.#hub = deps.hub;
    this.#cipher = deps.cipher;
    this.#onvif = deps.onvif;
    this.#uris = deps.uris;
    this.#recorder = deps.recorder;
    this.#options = { ...defaultFeedOptions, ...deps.options };
    this.control = new CameraControl({
      onvif: deps.onvif,
      uris: deps.uris,
      log: deps.log,
      snapshotLimits: deps.snapshotLimits,
      device: (cameraId) => this.#device(this.#row(cameraId)),
      registeredAddresses: () => new Set([...this.#cameras.values()].map((c) => c.onvifAddress)),
    });
    this.#feeds = new FeedPool({
      start: (cameraId, profile) => this.#startFeed(this.#row(cameraId), profile),
      // a pinned camera's wall stream runs whoever watches it
      kept: (cameraId, profile) => profile === 'sub' && Boolean(this.#cameras.get(cameraId)?.pinned),
      lingerMs: this.#options.lingerMs,
      // the wall's own streams first: 36 tiles starting at once already keep two cores busy for seconds
      warmDelayMs: 3000,
      stopped: (cameraId, profile) => {
        this.#feedStatuses.get(cameraId)?.delete(profile);
        if (profile === 'sub') this.#stopAnalysis(cameraId);
      },
    });
    this.#recordings =
      deps.recorder &&
      new RecordingPulls({
        recorder: deps.recorder,
        feeds: this.#feeds,
        hold: (cameraId, profile, holder) => this.#holdInBackground(cameraId, profile, holder),
        cameras: () => this.#cameras.values(),
        changed: (cameraId) => this.emit('status', this.get(cameraId)),
        log: this.#log,
      });
  }

  /** Loads the registry, indexes what a previous run left unindexed, starts the pinned and recording pulls. */
  async start(): Promise<void> {
    for (const row of await this.#prisma.camera.findMany({ orderBy: { id: 'asc' } })) this.#cameras.set(row.id, row);
    // a tamper left open by a hub that stopped is judged again from the pictures: closed as of now
    await this.#prisma.cameraTamper.updateMany({ where: { endedAt: null }, data: { endedAt: new Date() } });
    await this.deviceEvents.start();
    await this.attendance.start();
    for (const row of this.#cameras.values()) {
      this.#followEvents(row);
      this.#watchCounter(row);
    }
    // no pull runs yet: every file on disk is complete, the last one up to where the hub stopped (or died)
    await this.#recordings?.start();
    for (const row of this.#cameras.values()) if (row.pinned) this.#holdInBackground(row.id, 'sub');
  }

  get recorder(): Recorder | undefined {
    return this.#recorder;
  }

  async close(): Promise<void> {
    this.#recordings?.close();
    this.#feeds.close();
    for (const cameraId of [...this.#analyses.keys()]) this.#stopAnalysis(cameraId);
    await this.#tamperWrites;
    await this.attendance.close();
    await this.deviceEvents.close();
    await this.#recorder?.motion.close();
  }

  /** Pictures of the camera's wall stream analysed since its pull began (0 while it is not pulled). */
  async picturesAnalysed(cameraId: number): Promise<number> {
    return (await this.#analyses.get(cameraId))?.pictures ?? 0;
  }

  /** How many cameras are covered or turned away now. */
  get tampered(): number {
    return this.#tampers.size;
  }

  /** The camera's present view becomes its usual one (it was re-aimed on purpose): a MOVED tamper clears. */
  async relearnView(cameraId: number): Promise<void> {
    this.#row(cameraId);
    (await this.#analyses.get(cameraId))?.relearn();
  }

  list(): CameraDto[] {
    return [...this.#cameras.values()].map((row) => this.#dto(row));
  }

  get(cameraId: number): CameraDto {
    return this.#dto(this.#row(cameraId));
  }

  /** Registers a camera from its ONVIF address: the widest profile is "main", the narrowest "sub". */
  async add(request: AddCameraRequest): Promise<CameraDto> {
    const [camera] = await this.addAll([await this.prepare(request)]);
    return camera!;
  }

  /**
   * Reads a camera's description over ONVIF and checks where its media is, writing nothing: what registering
   * it would store. Throws what the camera or its answer is refused for.
   */
  async prepare(request: AddCameraRequest): Promise<PreparedCamera> {
    const credentials = { username: request.username, password: request.password };
    const description = await this.#onvif.describe(request.onvifAddress, credentials);
    const profiles = description.profiles.filter((p) => p.rtspUri).sort((a, b) => b.width * b.height - a.width * a.height);
    const main = profiles[0];
    const sub = profiles.at(-1);
    if (!main || !sub) throw new CameraUnreachableError(request.onvifAddress, 'noRtsp');
    // the device says where its media is: only its own host (or the operator's camera subnets), rtsp and http(s)
    const mainStreamUri = this.#uris.check(request.onvifAddress, main.rtspUri, 'stream').href;
    const subStreamUri = this.#uris.check(request.onvifAddress, sub.rtspUri, 'stream').href;
    const snapshotUri = main.snapshotUri ? this.#uris.check(request.onvifAddress, main.snapshotUri, 'snapshot').href : null;
    return {
      data: {
        name: request.name,
        unitName: request.unitName,
        counter: request.counter,
        onvifAddress: request.onvifAddress,
        username: request.username,
        passwordCipher: this.#cipher.encrypt(request.password),
        mainProfileToken: main.token,
        subProfileToken: sub.token,
        mainStreamUri,
        subStreamUri,
        snapshotUri,
        encoding: main.encoding,
        subEncoding: sub.encoding,
        ptz: description.ptz,
        pinned: request.pinned,
      },
    };
  }

  /**
   * Registers prepared cameras all together or none; `within` runs in the same transaction once they have
   * their ids (the caller's audit entries), so a failure there registers none either.
   */
  async addAll(prepared: PreparedCamera[], within?: (tx: DbTransaction, cameras: CameraDto[]) => Promise<void>): Promise<CameraDto[]> {
    const rows = await this.#prisma.$transaction(async (tx) => {
      const created = await tx.camera.createManyAndReturn({ data: prepared.map((p) => p.data) });
      await within?.(
        tx,
        created.map((row) => this.#dto(row)),
      );
      return created;
    });
    for (const row of rows) {
      this.#cameras.set(row.id, row);
      this.#followEvents(row);
      if (row.pinned) this.#feeds.hold(row.id, 'sub');
      // the stations open now show the new counter at once, not at their next reload
      this.emit('status', this.#dto(row));
    }
    return rows.map((row) => this.#dto(row));
  }

  async remove(cameraId: number): Promise<void> {
    const row = this.#row(cameraId);
    if (this.#recorder && (await this.#recorder.locks.activeCount(cameraId)) > 0) throw new CameraHasEvidenceError(cameraId);
    for (const profile of ['main', 'sub'] as const) this.#feeds.stop(row.id, profile);
    await this.deviceEvents.unfollow(row.id);
    this.#onvif.forget(row.onvifAddress);
    await this.#prisma.camera.delete({ where: { id: cameraId } });
    this.#cameras.delete(cameraId);
    this.#feedStatuses.delete(cameraId);
    this.#reported.delete(cameraId);
    await this.#recorder?.removeCamera(cameraId);
  }

  async setPinned(cameraId: number, pinned: boolean): Promise<CameraDto> {
    const row = await this.#prisma.camera.update({ where: { id: this.#row(cameraId).id }, data: { pinned } });
    this.#cameras.set(row.id, row);
    if (pinned) this.#feeds.hold(row.id, 'sub');
    else this.#feeds.releaseIfIdle(row.id, 'sub');
    return this.#dto(row);
  }

  /**
   * Starts (or joins) the stream for a viewer; the producer id once it exists, else "available" follows.
   * A viewer of a camera's wall stream keeps its main stream warm too: opening the tile then shows the
   * main stream at its next key frame, without waiting for a pull to start (unless `warmMain` is false: the
   * hub runs short and starts no pull nobody looks at).
   */
  watch(cameraId: number, profile: StreamProfile, viewer: string, { warmMain = true } = {}): string | undefined {
    const row = this.#row(cameraId);
    const feed = this.#feeds.hold(row.id, profile, viewer);
    if (warmMain && profile === 'sub' && this.#options.warmMainStreams && row.encoding.toUpperCase() === 'H264') {
      this.#holdInBackground(row.id, 'main', warmHolder(viewer), true);
    }
    return feed.producerId;
  }

  /** Whether the stream is pulled now (watching it starts no new pull). */
  isPulling(cameraId: number, profile: StreamProfile): boolean {
    return this.#feeds.feed(cameraId, profile) !== undefined;
  }

  unwatch(cameraId: number, profile: StreamProfile, viewer: string): void {
    this.#feeds.release(cameraId, profile, viewer);
    if (profile === 'sub') this.#feeds.release(cameraId, 'main', warmHolder(viewer));
  }

  unwatchAll(viewer: string): void {
    this.#feeds.releaseAll((holder) => holder === viewer || holder === warmHolder(viewer));
  }

  /** Share of [from, to) each camera was online, from its persisted status changes, and the times it was tampered with. */
  async uptime(from: Date, to: Date): Promise<CameraUptimeRow[]> {
    const events = await this.#prisma.cameraEvent.findMany({ where: { at: { lt: to } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    const tampers = await this.#prisma.cameraTamper.groupBy({
      by: ['cameraId'],
      where: { startedAt: { lt: to }, OR: [{ endedAt: null }, { endedAt: { gt: from } }] },
      _count: { _all: true },
    });
    const tamperEvents = new Map(tampers.map((t) => [t.cameraId, t._count._all]));
    return uptimeOf([...this.#cameras.values()], events, from, to).map((row) => ({ ...row, tamperEvents: tamperEvents.get(row.id) ?? 0 }));
  }

  /**
   * Marks where the civil servant sits (null: the counter is not watched). A watched counter's wall
   * stream is pulled whoever looks at it, so its desk is observed through office hours.
   */
  async setStaffZone(cameraId: number, zone: MotionRegion | null): Promise<CameraDto> {
    const row = await this.#prisma.camera.update({
      where: { id: this.#row(cameraId).id },
      data: { staffZone: zone ? JSON.stringify(zone) : null },
    });
    this.#cameras.set(row.id, row);
    this.#watchCounter(row);
    return this.#dto(row);
  }

  /** Sets when the camera records; applied at once (a recording pull starts or stops). */
  async setRecordMode(cameraId: number, recordMode: RecordMode): Promise<CameraDto> {
    const row = await this.#prisma.camera.update({ where: { id: this.#row(cameraId).id }, data: { recordMode } });
    this.#cameras.set(row.id, row);
    await this.#recordings?.apply(new Date());
    return this.#dto(row);
  }

  /** Whether the camera's pull writes segments now. */
  recording(cameraId: number): boolean {
    return this.#recordings?.recording(cameraId) ?? false;
  }

  /**
   * A stream nobody is waiting on (a pinned wall stream, a warm main stream, a recording): a stored URI
   * the rules refuse is logged and not pulled, and the rest goes on.
   */
  #holdInBackground(cameraId: number, profile: StreamProfile, holder?: string, warm = false): CameraFeed | undefined {
    try {
      return this.#feeds.hold(cameraId, profile, holder, warm);
    } catch (error) {
      if (!(error instanceof CameraUriRefusedError)) throw error;
      this.#log.error({ cameraId, profile, code: error.code }, 'a camera’s stream URI is refused: not pulled');
      return undefined;
    }
  }

  #startFeed(row: CameraRow, profile: StreamProfile): CameraFeed {
    // a row registered before the URI rules is held to them too: a refused URI is never pulled
    const uri = this.#uris.check(row.onvifAddress, profile === 'main' ? row.mainStreamUri : row.subStreamUri, 'stream').href;
    const source = { rtspUri: uri, encoding: profile === 'main' ? row.encoding : row.subEncoding, credentials: this.#credentials(row) };
    // the wall stream is analysed (motion, tamper) from the key frames the same pull already receives
    const analysed = this.#motion.enabled && profile === 'sub' && row.subEncoding.toUpperCase() === 'H264';
    const feed = new CameraFeed(
      this.#hub,
      source,
      this.#options,
      this.#log,
      analysed ? () => this.#analysis(row.id).then((a) => a.port) : undefined,
    );
    feed.on('producer', (producerId) => this.emit('available', row.id, profile, producerId));
    feed.on('pullEnded', () => {
      if (!feed.recording) return;
      this.#recorder
        ?.segmentsWritten(row.id, false)
        .catch((err: unknown) => this.#log.error({ err, cameraId: row.id }, 'recorded segments could not be indexed'));
    });
    feed.on('status', (status, detail) => this.#feedStatus(row.id, profile, status, detail, feed.lastPacketAt));
    return feed;
  }

  #watchCounter(row: CameraRow): void {
    const zone = staffZoneOf(row);
    this.attendance.setZone(row.id, zone);
    if (zone) this.#holdInBackground(row.id, 'sub', attendanceHolder);
    else this.#feeds.release(row.id, 'sub', attendanceHolder);
  }

  /** Subscribes to the camera's own events, where it offers them (its events service held to the camera's URI rules). */
  #followEvents(row: CameraRow): void {
    const checkUri = (uri: string) => this.#uris.check(row.onvifAddress, uri, 'events').href;
    this.deviceEvents.follow(
      row.id,
      async () => {
        const current = this.#cameras.get(row.id) ?? row;
        const credentials = this.#credentials(current);
        const events = await this.#onvif.events(current.onvifAddress, credentials);
        return events && { xaddr: checkUri(events.xaddr), timeDiffMs: events.timeDiffMs, ...credentials };
      },
      checkUri,
    );
  }

  #analysis(cameraId: number): Promise<PictureAnalysis> {
    let analysis = this.#analyses.get(cameraId);
    if (!analysis) {
      analysis = PictureAnalysis.open(cameraId, { store: this.#recorder?.motion, options: this.#motion, log: this.#log });
      this.#analyses.set(cameraId, analysis);
      analysis
        .then((opened) =>
          opened
            .on('tamper', (kind) => this.#tamperChanged(cameraId, kind))
            .on('sample', (sample) => this.attendance.picture(cameraId, sample)),
        )
        .catch((err: unknown) => {
          this.#analyses.delete(cameraId);
          this.#log.error({ err, cameraId }, 'a camera’s picture analysis could not start');
        });
    }
    return analysis;
  }

  /** The wall stream stopped: nothing is judged any more, so no tamper stands. */
  #stopAnalysis(cameraId: number): void {
    const analysis = this.#analyses.get(cameraId);
    this.#analyses.delete(cameraId);
    analysis?.then((a) => a.close()).catch(() => undefined);
    this.attendance.stopped(cameraId);
    if (this.#tampers.has(cameraId)) this.#tamperChanged(cameraId, null);
  }

  /** Persists a tamper raised, changed or cleared, then tells the wall. */
  #tamperChanged(cameraId: number, kind: TamperKind | null): void {
    const open = this.#tampers.get(cameraId);
    if (kind) this.#tampers.set(cameraId, { id: open?.id ?? 0, kind });
    else this.#tampers.delete(cameraId);
    const write = this.#tamperWrites.then(async () => {
      const now = new Date();
      if (open?.id) await this.#prisma.cameraTamper.update({ where: { id: open.id }, data: { endedAt: now } });
      if (kind && this.#cameras.has(cameraId)) {
        const row = await this.#prisma.cameraTamper.create({ data: { cameraId, kind, startedAt: now } });
        const current = this.#tampers.get(cameraId);
        if (current?.kind === kind) current.id = row.id;
        else await this.#prisma.cameraTamper.update({ where: { id: row.id }, data: { endedAt: new Date() } });
      }
      this.#log.warn({ cameraId, tamper: kind }, kind ? 'a camera is covered or turned away' : 'a camera looks right again');
      if (!this.#cameras.has(cameraId)) return;
      this.emit('tamper', this.get(cameraId), kind);
      this.emit('status', this.get(cameraId));
    });
    this.#tamperWrites = write.catch((err: unknown) => this.#log.error({ err, cameraId }, 'a camera’s tamper could not be recorded'));
  }

  /**
   * A camera has up to two pulls (its wall stream and its main stream): it is online while either shows
   * pictures, and otherwise as the last one to change says. Decided here, synchronously, so two pulls
   * reporting at once record one change.
   */
  #feedStatus(cameraId: number, profile: StreamProfile, status: CameraStatus, detail: string | null, lastPacketAt: Date | null): void {
    const feeds = this.#feedStatuses.get(cameraId) ?? new Map<StreamProfile, CameraStatus>();
    this.#feedStatuses.set(cameraId, feeds.set(profile, status));
    const camera = [...feeds.values()].includes('ONLINE') ? 'ONLINE' : status;
    if ((this.#reported.get(cameraId) ?? this.#cameras.get(cameraId)?.status) === camera) return;
    this.#reported.set(cameraId, camera);
    this.#recordStatus(cameraId, camera, camera === status ? detail : null, lastPacketAt).catch((err: unknown) =>
      this.#log.error({ err, cameraId, status: camera }, 'camera status could not be recorded'),
    );
  }

  async #recordStatus(cameraId: number, status: CameraStatus, detail: string | null, lastPacketAt: Date | null): Promise<void> {
    const row = this.#cameras.get(cameraId);
    if (!row || row.status === status) return;
    const lastSeenAt = status === 'ONLINE' ? new Date() : (lastPacketAt ?? row.lastSeenAt);
    const [updated] = await this.#prisma.$transaction([
      this.#prisma.camera.update({ where: { id: cameraId }, data: { status, lastSeenAt } }),
      this.#prisma.cameraEvent.create({ data: { cameraId, status, detail } }),
    ]);
    this.#cameras.set(cameraId, updated);
    this.emit('status', this.#dto(updated));
  }

  #dto(row: CameraRow): CameraDto {
    const live = [this.#feeds.feed(row.id, 'main'), this.#feeds.feed(row.id, 'sub')]
      .map((feed) => feed?.lastPacketAt?.getTime() ?? 0)
      .reduce((a, b) => Math.max(a, b), row.lastSeenAt?.getTime() ?? 0);
    return {
      id: row.id,
      name: row.name,
      unitName: row.unitName,
      counter: row.counter,
      onvifAddress: row.onvifAddress,
      encoding: row.encoding,
      ptz: row.ptz,
      pinned: row.pinned,
      recordMode: row.recordMode,
      recording: this.recording(row.id),
      status: row.status,
      tamper: this.#tampers.get(row.id)?.kind ?? null,
      staffZone: staffZoneOf(row),
      unattendedSince: this.attendance.unattendedSince(row.id)?.toISOString() ?? null,
      lastSeenAt: live ? new Date(live).toISOString() : null,
    };
  }

  #row(cameraId: number): CameraRow {
    const row = this.#cameras.get(cameraId);
    if (!row) throw new CameraNotFoundError(cameraId);
    return row;
  }

  #device(row: CameraRow): RegisteredDevice {
    return {
      onvifAddress: row.onvifAddress,
      credentials: () => this.#credentials(row),
      mainProfileToken: row.mainProfileToken,
      subProfileToken: row.subProfileToken,
      snapshotUri: row.snapshotUri,
      ptz: row.ptz,
    };
  }

  #credentials(row: CameraRow): CameraCredentials {
    return { username: row.username, password: this.#cipher.decrypt(row.passwordCipher) };
  }
}

/** A watched counter's hold on its wall stream. */
const attendanceHolder = 'attendance';

/** The staff zone as stored (JSON), parsed; a value that does not parse is no zone. */
function staffZoneOf(row: { staffZone: string | null }): MotionRegion | null {
  if (!row.staffZone) return null;
  try {
    const parsed = motionRegionSchema.safeParse(JSON.parse(row.staffZone));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A wall viewer's hold on the main stream of a camera it watches. */
const warmHolder = (viewer: string) => `warm:${viewer}`;
