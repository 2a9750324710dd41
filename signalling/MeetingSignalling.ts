import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import type { MediaServer, MeetingPeer, MeetingRoom } from '../media-server/index.js';
import type { MeetingState } from '../shared/meetings.js';
import { clientEventSchemas, type Ack, type ClientToServerEvents, type JoinMeetingResponse, type PeerInfo } from '../shared/protocol.js';
import type { AuthService, AuthenticatedUser } from './auth/AuthService.js';
import type { CameraWallSignalling, WallEvent } from './CameraWallSignalling.js';
import { ChairControls } from './ChairControls.js';
import type { AttendanceRecorder } from './meetings/AttendanceRecorder.js';
import { LiveMeeting } from './meetings/LiveMeeting.js';
import { MeetingRuleError, type MeetingRecord, type MeetingStore } from './meetings/MeetingStore.js';
import { channels, type Handlers, type HubServer, type HubSocket, type IceAccess, type Session } from './SignallingTypes.js';
import { MeetingStateBroadcasts } from './MeetingStateBroadcasts.js';
import { inRoom, mediaHandlers, type MediaHandlerEvent } from './MediaHandlers.js';
import { parsePayload, SignallingError, toAckError } from './validation.js';

type MeetingEvent = Exclude<
  keyof ClientToServerEvents,
  `chair:${string}` | 'hand:raise' | 'rollCall:confirm' | WallEvent | MediaHandlerEvent
>;

export interface MeetingSignallingDeps {
  io: HubServer;
  media: MediaServer;
  auth: AuthService;
  store: MeetingStore;
  attendance: AttendanceRecorder;
  log: FastifyBaseLogger;
  /** The camera wall's events, served on the same connections. */
  wall: CameraWallSignalling;
  /** How often the chair is sent each site's uplink quality. */
  qualityIntervalMs?: number;
  /** The relays a signed-in account's browser may use for its transports. */
  iceAccess: (user: AuthenticatedUser) => Promise<IceAccess>;
}

/**
 * The socket.io side of meetings. Every connection is a signed-in user; every event is validated
 * with its schema. A site joins the lobby until the chair starts the meeting, then the media room;
 * attendance is written as sites come and go; the meeting's control state is pushed whole to all.
 */
export class MeetingSignalling {
  readonly #io: HubServer;
  readonly #media: MediaServer;
  readonly #store: MeetingStore;
  readonly #attendance: AttendanceRecorder;
  readonly #log: FastifyBaseLogger;
  readonly #live = new Map<string, Promise<LiveMeeting>>();
  /** `${meetingId}/${siteCode}` → the site's connection (lobby or admitted). */
  readonly #siteSockets = new Map<string, HubSocket>();
  /** peerId → socket, to reach a peer from room events. */
  readonly #peerSockets = new Map<string, HubSocket>();
  readonly #wiredRooms = new WeakSet<MeetingRoom>();
  readonly #controls: ChairControls;
  readonly #wall: CameraWallSignalling;
  readonly #qualityTimer: NodeJS.Timeout;
  readonly #stateBroadcasts = new MeetingStateBroadcasts((live) => {
    const state: MeetingState = live.state();
    this.#io.to(channels.state(live.id)).emit('meeting:state', state);
  });

  constructor({ io, media, auth, store, attendance, log, wall, iceAccess, qualityIntervalMs = 3000 }: MeetingSignallingDeps) {
    this.#wall = wall;
    this.#io = io;
    this.#mediaHandlers = mediaHandlers({ io, iceAccess, loadTestTransports: media.loadTestTransports });
    this.#media = media;
    this.#store = store;
    this.#attendance = attendance;
    this.#log = log;
    this.#controls = new ChairControls({
      store,
      broadcast: (live) => this.#broadcast(live),
      siteSocket: (live, code) => this.#siteSockets.get(siteKey(live.id, code)),
      emitToMedia: (live, except, emit) => emit(this.#io.to(channels.media(live.id)).except(except?.id ?? [])),
    });
    io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      auth
        .authenticate(typeof token === 'string' ? token : undefined)
        .then((user) => {
          if (!user) return next(new Error('UNAUTHENTICATED'));
          socket.data.user = user;
          next();
        })
        .catch(next);
    });
    io.on('connection', (socket) => this.#onConnection(socket));
    this.#qualityTimer = setInterval(() => {
      this.#sendQuality().catch((err: unknown) => this.#log.error({ err }, 'sending uplink quality failed'));
    }, qualityIntervalMs);
    this.#qualityTimer.unref();
  }

  close(): void {
    clearInterval(this.#qualityTimer);
    this.#stateBroadcasts.close();
  }

  /** Called when the chair starts the meeting (REST): the lobby is told, and its sites join again. */
  async startMeeting(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const record = await this.#store.require(meetingId);
    assertChair(record, user);
    const started = await this.#store.markStarted(record, new Date());
    await this.#store.recordAction(meetingId, user.id, 'start');
    const live = await this.#liveMeetingIfLoaded(meetingId);
    if (live) {
      live.status = 'LIVE';
      this.#broadcast(live);
    }
    return started;
  }

  /** Ends the meeting for everyone: attendance is closed and every connection is dropped. */
  async endMeeting(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const record = await this.#store.require(meetingId);
    assertChair(record, user);
    await this.#attendance.flush();
    const ended = await this.#store.markEnded(record, new Date());
    await this.#store.recordAction(meetingId, user.id, 'end');
    const live = await this.#liveMeetingIfLoaded(meetingId);
    this.#live.delete(meetingId);
    if (live) {
      live.status = 'ENDED';
      if (live.rollCall && !live.rollCall.closedAt) live.rollCall = { ...live.rollCall, closedAt: ended.endedAt };
      this.#stateBroadcasts.flush(live);
      this.#io.to(channels.state(meetingId)).emit('meeting:closed', { reason: 'ended' });
      this.#io.in(channels.state(meetingId)).disconnectSockets(true);
    }
    return ended;
  }

  #onConnection(socket: HubSocket): void {
    const handlers = { ...this.#handlers, ...this.#mediaHandlers, ...this.#controls.handlers, ...this.#wall.handlers } as Record<
      string,
      (s: HubSocket, p: unknown) => Promise<unknown>
    >;
    for (const event of Object.keys(clientEventSchemas) as Array<keyof ClientToServerEvents>) {
      const schema = clientEventSchemas[event];
      const handle = handlers[event]!;
      socket.on(event, async (payload: unknown, callback: unknown) => {
        if (typeof callback !== 'function') {
          this.#log.warn({ event, socket: socket.id }, 'event without acknowledgement callback dropped');
          return;
        }
        const ack = callback as Ack<unknown>;
        try {
          ack({ ok: true, data: await handle(socket, parsePayload(schema, payload)) });
        } catch (error) {
          const result = toAckError(error);
          if (!result.ok && result.error.code === 'INTERNAL') this.#log.error({ err: error, event }, 'signalling event failed');
          ack(result);
        }
      });
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (event in clientEventSchemas) return;
      const callback = args.at(-1);
      if (typeof callback === 'function')
        (callback as Ack<unknown>)({ ok: false, error: { code: 'INVALID_PAYLOAD', message: `unknown event "${event}"` } });
    });
    socket.on('disconnect', () => {
      this.#wall.disconnected(socket);
      this.#leave(socket).catch((err: unknown) => this.#log.error({ err }, 'leave failed'));
    });
  }

  readonly #mediaHandlers: Handlers<MediaHandlerEvent>;
  readonly #handlers: Handlers<MeetingEvent> = {
    'meeting:join': async (socket, { meetingId }) => this.#join(socket, meetingId),
    'meeting:setRtpCapabilities': async (socket, { rtpCapabilities }) => {
      const { room, peerId } = inRoom(socket);
      room.setRtpCapabilities(peerId, rtpCapabilities as types.RtpCapabilities);
      return null;
    },
    'meeting:leave': async (socket) => {
      await this.#leave(socket);
      return null;
    },
  };

  async #join(socket: HubSocket, meetingId: string): Promise<JoinMeetingResponse> {
    const user = socket.data.user;
    const current = socket.data.session;
    if (current && (current.media || current.live.id !== meetingId))
      throw new SignallingError('ALREADY_JOINED', 'this connection already joined a meeting');
    if (user.role !== 'BRIDGE_POINT' && user.role !== 'CHAIR')
      throw new SignallingError('FORBIDDEN', 'only bridge points and chairs join meetings');
    const live = await this.#liveMeeting(meetingId);
    const isChair = live.record.chairId === user.id;
    const siteCode = isChair ? live.record.hostBridgePointCode : user.bridgePointCode;
    if (!siteCode) throw new SignallingError('UNKNOWN_BRIDGE_POINT', 'this account has no bridge point');
    if (live.status === 'ENDED') throw new SignallingError('MEETING_ENDED', 'the meeting has ended');
    if (!live.isInvited(siteCode)) throw new SignallingError('NOT_INVITED', `${siteCode} is not invited to this meeting`);
    if (live.removed.has(siteCode)) throw new SignallingError('REMOVED', 'the chair removed this site from the meeting');
    if (live.locked && !live.hasAttended(siteCode) && !isChair) throw new SignallingError('MEETING_LOCKED', 'the meeting is locked');

    const key = siteKey(meetingId, siteCode);
    // A site that reconnects replaces its previous connection instead of appearing twice.
    const previous = this.#siteSockets.get(key);
    if (previous && previous !== socket) {
      previous.disconnect(true);
      await this.#leave(previous);
    }
    const siteName = live.record.invited.find((s) => s.code === siteCode)!.name;
    const session: Session = current ?? { live, siteCode, siteName, isChair };
    socket.data.session = session;
    this.#siteSockets.set(key, socket);
    await socket.join(channels.state(meetingId));
    if (isChair) await socket.join(channels.chair(meetingId));

    if (live.status !== 'LIVE') {
      live.setPresence(siteCode, 'waiting');
      this.#broadcast(live);
      return { admitted: false, meeting: live.state(), siteCode, isChair };
    }

    const room = await this.#media.room(meetingId);
    this.#wire(room);
    const peer = await room.join({ peerId: randomUUID(), bridgePointCode: siteCode, bridgePointName: siteName });
    session.media = { peerId: peer.id, room };
    this.#peerSockets.set(peer.id, socket);
    await socket.join(channels.media(meetingId));
    // the sites and producers already there, taken as the socket starts hearing of new ones: each producer is
    // either in this list or announced by producer:new afterwards, never both (the attendance write below waits)
    const peers = [...room.peers].filter((p) => p.id !== peer.id).map(peerInfo);
    socket.to(channels.media(meetingId)).emit('peer:joined', peerInfo(peer));
    live.setPresence(siteCode, 'connected');
    await this.#attendance.present(meetingId, live.bridgePointId(siteCode));
    this.#broadcast(live);
    return {
      admitted: true,
      meeting: live.state(),
      siteCode,
      isChair,
      peerId: peer.id,
      routerRtpCapabilities: room.routerRtpCapabilities,
      peers,
      activeSpeakerPeerId: room.activeSpeakerPeerId,
    };
  }

  async #leave(socket: HubSocket): Promise<void> {
    const session = socket.data.session;
    if (!session) return;
    socket.data.session = undefined;
    const { live, siteCode } = session;
    const key = siteKey(live.id, siteCode);
    const replaced = this.#siteSockets.get(key) !== socket;
    if (!replaced) this.#siteSockets.delete(key);
    for (const channel of [channels.state(live.id), channels.media(live.id), channels.chair(live.id)]) await socket.leave(channel);
    if (session.media) {
      const { room, peerId } = session.media;
      this.#peerSockets.delete(peerId);
      room.leave(peerId);
      this.#io.to(channels.media(live.id)).emit('peer:left', { peerId });
      if (live.status === 'LIVE') await this.#attendance.absent(live.id, live.bridgePointId(siteCode));
    }
    if (replaced) return;
    if (!live.removed.has(siteCode)) {
      if (session.media || live.hasAttended(siteCode)) live.setPresence(siteCode, 'left');
      else live.clearPresence(siteCode);
    }
    if (live.status !== 'ENDED') this.#broadcast(live);
  }

  async #liveMeeting(meetingId: string): Promise<LiveMeeting> {
    let pending = this.#live.get(meetingId);
    if (!pending) {
      pending = (async () => {
        const record = await this.#store.get(meetingId);
        if (!record) throw new SignallingError('NOT_FOUND', `no meeting ${meetingId}`);
        const rollCall = await this.#store.latestRollCall(meetingId);
        return new LiveMeeting(record, await this.#store.attendedCodes(meetingId), rollCall);
      })();
      this.#live.set(meetingId, pending);
      pending.catch(() => this.#live.delete(meetingId));
    }
    return pending;
  }

  async #liveMeetingIfLoaded(meetingId: string): Promise<LiveMeeting | undefined> {
    return this.#live.get(meetingId)?.catch(() => undefined);
  }

  #broadcast(live: LiveMeeting): void {
    this.#stateBroadcasts.changed(live);
  }

  async #sendQuality(): Promise<void> {
    for (const pending of this.#live.values()) {
      const live = await pending.catch(() => undefined);
      if (!live || live.status !== 'LIVE') continue;
      const room = await this.#media.existingRoom(live.id);
      if (!room) continue;
      const sites = await Promise.all(
        [...room.peers].map(async (peer) => ({
          code: peer.identity.bridgePointCode,
          ...(await room.uplinkQuality(peer.id).catch(() => ({ lossPercent: 0, bitrateKbps: 0 }))),
        })),
      );
      this.#io.to(channels.chair(live.id)).emit('meeting:quality', { sites });
    }
  }

  #wire(room: MeetingRoom): void {
    if (this.#wiredRooms.has(room)) return;
    this.#wiredRooms.add(room);
    room.on('activeSpeaker', (peerId) => this.#io.to(channels.media(room.id)).emit('activeSpeaker:changed', { peerId }));
    room.on('consumerClosed', (peerId, consumerId) => this.#peerSockets.get(peerId)?.emit('consumer:closed', { consumerId }));
    room.on('peerEvicted', (peerId) => this.#peerSockets.get(peerId)?.disconnect(true));
    room.on('maxSpatialLayer', (peerId, producerId, spatialLayer) =>
      this.#peerSockets.get(peerId)?.emit('producer:maxSpatialLayer', { producerId, spatialLayer }),
    );
    room.on('speakerDetectionLost', (err) => this.#log.error({ err, meetingId: room.id }, 'active speaker detection lost with its worker'));
    room.on('audioForwardingFailed', (err) => this.#log.error({ err, meetingId: room.id }, 'choosing the microphones to forward failed'));
  }
}

const siteKey = (meetingId: string, code: string) => `${meetingId}/${code}`;

function assertChair(record: MeetingRecord, user: AuthenticatedUser): void {
  if (user.role !== 'ADMIN' && record.chairId !== user.id)
    throw new MeetingRuleError('FORBIDDEN', 'only the chair of this meeting may do this');
}

function peerInfo(peer: MeetingPeer): PeerInfo {
  return {
    peerId: peer.id,
    bridgePointCode: peer.identity.bridgePointCode,
    bridgePointName: peer.identity.bridgePointName,
    producers: [...peer.producers.values()].map((p) => ({
      producerId: p.id,
      kind: p.kind,
      source: p.appData.source,
      paused: p.paused,
    })),
  };
}
