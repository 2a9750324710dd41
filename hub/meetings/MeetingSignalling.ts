import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import type { MediaServer, MeetingRoom } from '../../media-server/index.js';
import type { MeetingState, SitePresence } from '../../shared/meetings.js';
import { clientEventSchemas, type Ack, type ClientToServerEvents } from '../../shared/protocol.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { CameraWallSignalling, WallEvent } from '../cameras/index.js';
import { ChairControls, type ControlContext } from './ChairControls.js';
import { MeetingAgenda } from './MeetingAgenda.js';
import { SpeakingQueue } from './SpeakingQueue.js';
import { MeetingVotes } from './MeetingVotes.js';
import type { AttendanceRecorder } from './AttendanceRecorder.js';
import type { LiveMeeting } from './LiveMeeting.js';
import { LiveMeetings } from './LiveMeetings.js';
import { MeetingLifecycle } from './MeetingLifecycle.js';
import type { CallSeat, LiveMeetingRegistry } from './LiveMeetingsTypes.js';
import type { MeetingStore } from './MeetingStore.js';
import {
  type Caller,
  type CallerHandlers,
  callerOf,
  channels,
  type Handlers,
  type HubServer,
  type HubSocket,
  type IceAccess,
  DroppedEventWarnings,
  clientEventRoles,
  mayEmit,
  parsePayload,
  toAckError,
} from '../realtime/index.js';
import { MediaPresenceWatch } from './MediaPresenceWatch.js';
import { PresentationFloor } from './PresentationFloor.js';
import { inRoom, mediaHandlers, type MediaHandlerEvent } from './MediaHandlers.js';
import { SiteSessions } from './SiteSessions.js';
import { UplinkQualityReports } from './UplinkQualityReports.js';
import type { HubCluster } from '../../cluster/index.js';
import { ClusterMeetings, type HomeEvent, isHomeEvent } from '../cluster/index.js';
import { answerOf } from '../../errors/index.js';
import { said } from '../../shared/messages/index.js';
import { saidRoles } from '../http/index.js';

type MeetingEvent = Exclude<
  keyof ClientToServerEvents,
  HomeEvent | `chair:${string}` | `presentation:${string}` | WallEvent | MediaHandlerEvent
>;

export interface MeetingSignallingDeps {
  io: HubServer;
  media: MediaServer;
  store: MeetingStore;
  attendance: AttendanceRecorder;
  log: FastifyBaseLogger;
  /** The camera wall's events, served on the same connections. */
  wall: CameraWallSignalling;
  /** How often the chair is sent each site's uplink quality. */
  qualityIntervalMs?: number;
  /** The relays a signed-in account's browser may use for its transports. */
  iceAccess: (user: AuthenticatedUser) => Promise<IceAccess>;
  /** A site gone without a word shows "reconnecting" this long after last seen (the attendance grace). */
  reconnectGraceMs: number;
  /** Cluster mode: this node is one of several sharing the meetings (absent on a single node). */
  cluster?: HubCluster;
}

/** A connection's control events (chair actions, hands, roll-call answers, the floor) per window: a chair's busiest minute fits. */
/** Who answered a roll call from a room system's keypad, as the roll call's list shows it. */
const roomKeypadReporter = 'Thiết bị phòng họp (bàn phím)';

const controlEventsPerWindow = 30;
const controlWindowSeconds = 10;

/**
 * The socket.io side of meetings. Every connection is a signed-in user; every event is validated
 * with its schema. A site joins the lobby until the chair starts the meeting, then the media room;
 * attendance is written as sites come and go; the meeting's control state is pushed whole to all.
 */
export class MeetingSignalling {
  readonly #io: HubServer;
  readonly #media: MediaServer;
  readonly #log: FastifyBaseLogger;
  readonly #meetings: LiveMeetings;
  /** Start, end, cancel and reschedule (the chair's REST), and who follows a meeting's status. */
  readonly lifecycle: MeetingLifecycle;
  readonly #sessions: SiteSessions;
  readonly #mediaWatch: MediaPresenceWatch;
  readonly #wiredRooms = new WeakSet<MeetingRoom>();
  readonly #controls: ChairControls;
  readonly #presentation: PresentationFloor;
  readonly #wall: CameraWallSignalling;
  readonly #quality: UplinkQualityReports;
  readonly #cluster: ClusterMeetings | undefined;
  readonly #droppedEvents: DroppedEventWarnings;
  /** The meeting's control events: they need no connection, and run for a caller here or at the meeting's home. */
  readonly #controlHandlers: CallerHandlers<HomeEvent>;
  /** Control events (they change the meeting and write its record) per connection: a flood is refused, not run. */
  readonly #controlRate = new RateLimiterMemory({ keyPrefix: 'control', points: controlEventsPerWindow, duration: controlWindowSeconds });
  readonly #handledListeners: Array<(event: string, seconds: number) => void> = [];

  constructor({
    io,
    media,
    store,
    attendance,
    log,
    wall,
    iceAccess,
    reconnectGraceMs,
    cluster,
    qualityIntervalMs = 3000,
  }: MeetingSignallingDeps) {
    this.#wall = wall;
    this.#io = io;
    this.#media = media;
    this.#log = log;
    this.#droppedEvents = new DroppedEventWarnings(log);
    this.#meetings = new LiveMeetings({
      store,
      log,
      publish: (live, sent) => {
        const emit = () => {
          const state: MeetingState = live.state();
          this.#io.to(channels.state(live.id)).emit('meeting:state', state);
          sent();
        };
        // several nodes: only the meeting's home speaks for it
        if (!this.#cluster) emit();
        else
          this.#cluster
            .shareState(live, emit)
            .catch((err: unknown) => this.#log.error({ err, meetingId: live.id }, 'the state was not sent'));
      },
      onLoaded: (live) => this.#cluster?.watch(live),
    });
    const controlContext = {
      store,
      broadcast: (live: LiveMeeting) => this.#meetings.changed(live),
      siteSocket: (live: LiveMeeting, code: string) => this.#sessions.siteSocket(live.id, code),
      hangUpCall: (live: LiveMeeting, code: string) => this.#sessions.hangUpCall(live.id, code),
      connectionlessPeer: async (live: LiveMeeting, code: string) => {
        const room = await this.#media.existingRoom(live.id);
        const peer = room && [...room.peers].find((p) => p.identity.bridgePointCode === code);
        return room && peer ? { room, peerId: peer.id } : undefined;
      },
      emitToMedia: (live: LiveMeeting, except: HubSocket | undefined, emit: Parameters<ControlContext['emitToMedia']>[2]) =>
        emit(this.#io.to(channels.media(live.id)).except(except?.id ?? [])),
      emitToChair: (live: LiveMeeting, emit: Parameters<ControlContext['emitToChair']>[1]) => emit(this.#io.to(channels.chair(live.id))),
    };
    this.#controls = new ChairControls(controlContext);
    this.#presentation = new PresentationFloor(controlContext);
    this.#controlHandlers = {
      ...this.#controls.handlers,
      ...this.#presentation.handlers,
      ...new MeetingVotes(controlContext).handlers,
      ...new MeetingAgenda(controlContext).handlers,
      ...new SpeakingQueue(controlContext, this.#controls).handlers,
    };
    this.#mediaHandlers = mediaHandlers({ io, iceAccess, loadTestTransports: media.loadTestTransports, presentation: this.#presentation });
    this.#sessions = new SiteSessions({
      io,
      media,
      attendance,
      log,
      reconnectGraceMs,
      meetings: this.#meetings,
      wire: (room) => this.#wire(room),
      remotePeers: async (meetingId) => (await this.#cluster?.remotePeers(meetingId)) ?? [],
    });
    this.#cluster =
      cluster &&
      new ClusterMeetings({
        io,
        cluster,
        media,
        log,
        reconnectGraceMs,
        meetings: this.#meetings,
        localSockets: (meetingId) => this.#sessions.localSockets(meetingId),
        runControl: (event, caller, payload) => this.#runControl(event, caller, payload),
        absent: (live, code, at) => attendance.absent(live.id, live.bridgePointId(code), at),
      });
    this.lifecycle = new MeetingLifecycle({ io, store, attendance, meetings: this.#meetings, cluster: this.#cluster });
    this.#mediaWatch = new MediaPresenceWatch({
      sessions: () => this.#sessions.admitted(),
      broadcast: (live) => this.#meetings.changed(live),
      log,
    });
    io.on('connection', (socket) => this.#onConnection(socket));
    this.#quality = new UplinkQualityReports({ io, media, log, meetings: this.#meetings }, qualityIntervalMs);
  }

  /** The hub stops: sites are told it restarts and disconnected, their presences end now. */
  async stop(): Promise<void> {
    await this.#sessions.stop();
    // the meetings' last control state is written (nobody is left to hear the broadcast itself)
    await this.#meetings.stop();
  }

  close(): void {
    this.#quality.close();
    this.#mediaWatch.close();
    this.#meetings.close();
  }

  /** A live meeting's state and media room, for a feed from outside joining it as a site; undefined unless it is live. */
  async feedRoom(meetingId: string): Promise<{ live: LiveMeeting; room: MeetingRoom } | undefined> {
    const live = await this.#meetings.get(meetingId);
    if (live.status !== 'LIVE') return undefined;
    const room = await this.#media.room(meetingId);
    this.#wire(room);
    return { live, room };
  }

  /**
   * A bridge point's room system takes the site's seat by its SIP call (refused, with a SignallingError, under a
   * page's rules); its keypad answers the roll call.
   */
  async seatCall(meetingId: string, siteCode: string, hangUp: () => void): Promise<CallSeat> {
    const seat = await this.#sessions.seatCall(meetingId, siteCode, hangUp);
    return {
      ...seat,
      answerRollCall: (headCount) => this.#controls.answerRollCall(seat.live, siteCode, headCount, roomKeypadReporter),
    };
  }

  /** The meetings this node holds: for the feeds, the program and anyone else who needs a meeting's state. */
  get meetings(): LiveMeetingRegistry {
    return this.#meetings;
  }

  /** Each request over a socket, once answered: its event and the seconds from its arrival to the answer. */
  onEventHandled(listener: (event: string, seconds: number) => void): void {
    this.#handledListeners.push(listener);
  }

  /** Each loaded meeting's invited sites by presence (the metrics' sites per meeting). */
  async presenceCounts(): Promise<Array<{ meetingId: string; sites: Partial<Record<SitePresence, number>> }>> {
    return (await this.#meetings.loaded())
      .filter((live) => live.status !== 'ENDED')
      .map((live) => {
        const sites: Partial<Record<SitePresence, number>> = {};
        for (const { code } of live.record.invited) {
          const presence = live.presence(code);
          sites[presence] = (sites[presence] ?? 0) + 1;
        }
        return { meetingId: live.id, sites };
      });
  }

  /** At the meeting's home, a control event another node forwarded: its payload parsed here, as from a page. */
  async #runControl(event: HomeEvent, caller: Caller, payload: unknown): Promise<unknown> {
    return this.#controlHandler(event)(caller, parsePayload(clientEventSchemas[event], payload));
  }

  /** A control event's handler, for a payload its event's schema has parsed. */
  #controlHandler(event: HomeEvent): (caller: Caller, parsed: unknown) => Promise<unknown> {
    return this.#controlHandlers[event] as (caller: Caller, parsed: unknown) => Promise<unknown>;
  }

  #onConnection(socket: HubSocket): void {
    const socketHandlers = {
      ...this.#handlers,
      ...this.#mediaHandlers,
      ...this.#wall.handlers,
    } as Record<string, (s: HubSocket, p: unknown) => Promise<unknown>>;
    for (const event of Object.keys(clientEventSchemas) as Array<keyof ClientToServerEvents>) {
      const schema = clientEventSchemas[event];
      // the control events need no connection: they run for a caller, here or at the meeting's home
      const handle = isHomeEvent(event)
        ? (s: HubSocket, parsed: unknown) => this.#controlHandler(event)(callerOf(s), parsed)
        : socketHandlers[event]!;
      socket.on(event, async (payload: unknown, callback: unknown) => {
        if (typeof callback !== 'function') {
          this.#droppedEvents.dropped(event, socket.id, socket.data.user.username);
          return;
        }
        const arrivedAt = performance.now();
        const answer = callback as Ack<unknown>;
        const ack: Ack<unknown> = (result) => {
          answer(result);
          const seconds = (performance.now() - arrivedAt) / 1000;
          for (const listener of this.#handledListeners) listener(event, seconds);
        };
        const { role } = socket.data.user;
        if (!mayEmit(role, event)) {
          ack({ ok: false, error: { code: 'FORBIDDEN', ...answerOf(saidRoles(clientEventRoles[event])) } });
          return;
        }
        if (isHomeEvent(event)) {
          // the memory limiter rejects only with the block itself
          const refused = await this.#controlRate.consume(socket.id).then(
            () => undefined,
            (rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection : undefined),
          );
          if (refused) {
            const seconds = Math.ceil(refused.msBeforeNext / 1000);
            ack({
              ok: false,
              error: { code: 'RATE_LIMITED', ...answerOf(said('meeting.tooManyActions', { seconds })) },
            });
            return;
          }
        }
        try {
          const parsed = parsePayload(schema, payload);
          if (isHomeEvent(event) && (await this.#cluster?.decidedElsewhere(socket)))
            ack(await this.#cluster!.forward(socket, event, parsed));
          else ack({ ok: true, data: await handle(socket, parsed) });
        } catch (error) {
          const result = toAckError(error);
          const session = socket.data.session;
          if (!result.ok && result.error.code === 'INTERNAL')
            this.#log.error({ err: error, event, meetingId: session?.live.id, siteCode: session?.siteCode }, 'signalling event failed');
          ack(result);
        }
      });
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (Object.hasOwn(clientEventSchemas, event)) return;
      const callback = args.at(-1);
      if (typeof callback === 'function')
        (callback as Ack<unknown>)({ ok: false, error: { code: 'INVALID_PAYLOAD', ...answerOf(said('meeting.unknownRequest')) } });
    });
    // every packet (the 2 s pings included) says the site is still there
    socket.conn.on('packet', () => {
      const session = socket.data.session;
      if (session) session.lastSeenAt = Date.now();
    });
    socket.on('disconnect', (reason) => {
      this.#wall.disconnected(socket);
      // the client said goodbye (a page closed: 'client namespace disconnect'), or it just went silent
      const dropped = reason !== 'client namespace disconnect' && reason !== 'server namespace disconnect';
      this.#sessions.leave(socket, { dropped }).catch((err: unknown) => this.#log.error({ err }, 'leave failed'));
    });
  }

  readonly #mediaHandlers: Handlers<MediaHandlerEvent>;
  readonly #handlers: Handlers<MeetingEvent> = {
    'meeting:join': async (socket, { meetingId }) => this.#sessions.join(socket, meetingId),
    'meeting:setRtpCapabilities': async (socket, { rtpCapabilities }) => {
      const { room, peerId } = inRoom(socket);
      room.setRtpCapabilities(peerId, rtpCapabilities as types.RtpCapabilities);
      return null;
    },
    'meeting:leave': async (socket) => {
      await this.#sessions.leave(socket);
      return null;
    },
  };

  #wire(room: MeetingRoom): void {
    if (this.#wiredRooms.has(room)) return;
    this.#wiredRooms.add(room);
    // each node's room hears every microphone its sites receive: it tells its own sites (several nodes would repeat it)
    room.on('activeSpeaker', (peerId) => this.#io.local.to(channels.media(room.id)).emit('activeSpeaker:changed', { peerId }));
    room.on('consumerClosed', (peerId, consumerId) => this.#sessions.peerSocket(peerId)?.emit('consumer:closed', { consumerId }));
    room.on('peersEvicted', (peerIds) => this.#sessions.evict(peerIds));
    room.on('maxSpatialLayer', (peerId, producerId, spatialLayer) =>
      this.#sessions.peerSocket(peerId)?.emit('producer:maxSpatialLayer', { producerId, spatialLayer }),
    );
    room.on('audioForwardingFailed', (err) => this.#log.error({ err, meetingId: room.id }, 'choosing the microphones to forward failed'));
  }
}
