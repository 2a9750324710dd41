import type { FastifyBaseLogger } from 'fastify';
import type { HubCluster } from '../../cluster/index.js';
import type { MediaServer } from '../../media-server/index.js';
import { type MeetingState, type MeetingStatus, type SitePresence, roles } from '../../shared/meetings.js';
import { z } from 'zod';
import { nodeCall, nodeNotice } from '../../shared/nodeMethods.js';
import { errorCodes, type AckResult, type ClientToServerEvents, type PeerInfo } from '../../shared/protocol.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { LiveMeeting, LiveMeetingRegistry } from '../meetings/index.js';
import { type Caller, channels, type HubServer, type HubSocket, SignallingError, toAckError } from '../realtime/index.js';
import { DeadNodeSites } from './DeadNodeSites.js';

/** Events that change the meeting's control state: decided by its home, whichever node the sender is on. */
const homeEventNames = [
  'chair:muteSite',
  'chair:muteAll',
  'chair:giveFloor',
  'chair:spotlight',
  'chair:removeSite',
  'chair:lock',
  'chair:rollCall',
  'chair:presentation',
  'hand:raise',
  'rollCall:confirm',
  'presentation:request',
  'presentation:release',
  'chair:openVote',
  'chair:closeVote',
  'vote:answer',
  'chair:agendaItem',
  'speech:request',
  'chair:reorderRequests',
  'chair:declineRequest',
  'chair:callSpeaker',
  'chair:endSpeech',
] as const satisfies ReadonlyArray<keyof ClientToServerEvents>;
export type HomeEvent = (typeof homeEventNames)[number];
const homeEvents: ReadonlySet<keyof ClientToServerEvents> = new Set(homeEventNames);
export const isHomeEvent = (event: keyof ClientToServerEvents): event is HomeEvent => homeEvents.has(event);

/** A connection's event, as forwarded to the meeting's home. */
export interface ForwardedEvent {
  meetingId: string;
  event: HomeEvent;
  payload: unknown;
  socketId: string;
  user: AuthenticatedUser;
  seat: { siteCode: string; siteName: string; isChair: boolean; peerId: string | null };
}

// what another node sends, parsed (its payload is parsed at the home with the event's own schema, as from a page)
const forwardedEventSchema = z.object({
  meetingId: z.string().min(1),
  event: z.enum(homeEventNames, { error: 'not an event the meeting’s home decides' }),
  payload: z.unknown(),
  socketId: z.string().min(1),
  user: z.object({
    id: z.number().int(),
    sessionId: z.string().min(1),
    username: z.string().min(1),
    displayName: z.string(),
    role: z.enum(roles),
    bridgePointCode: z.string().nullable(),
    mustChangePassword: z.boolean(),
  }),
  seat: z.object({ siteCode: z.string().min(1), siteName: z.string(), isChair: z.boolean(), peerId: z.string().nullable() }),
}) satisfies z.ZodType<ForwardedEvent>;

const presenceReportSchema = z.object({
  meetingId: z.string().min(1),
  code: z.string().min(1),
  presence: z.enum(['invited', 'waiting', 'connected', 'reconnecting', 'left', 'removed']).nullable(),
}) satisfies z.ZodType<{ meetingId: string; code: string; presence: SitePresence | null }>;

const ackResultSchema: z.ZodType<AckResult<unknown>> = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }).transform(({ data }) => ({ ok: true as const, data })),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(errorCodes), message: z.string() }) }),
]);

/** The meetings' methods between nodes: a site's node and the meeting's home. */
export const meetingMethods = {
  /** A site's node → the home: run this control event, answer as the event's own ack. */
  event: nodeCall('meeting.event', forwardedEventSchema, ackResultSchema),
  /** A site's node → the home: this site's presence changed (null: forgotten). */
  presence: nodeNotice('meeting.presence', presenceReportSchema),
};

export interface ClusterMeetingsDeps {
  io: HubServer;
  cluster: HubCluster;
  media: MediaServer;
  log: FastifyBaseLogger;
  reconnectGraceMs: number;
  meetings: LiveMeetingRegistry;
  /** The connections of the meeting's sites on this node. */
  localSockets(meetingId: string): HubSocket[];
  /** Runs an event the home decides (`homeEvents`) for a caller: its payload parsed with the event's schema. */
  runControl(event: HomeEvent, caller: Caller, payload: unknown): Promise<unknown>;
  /** A site gone with its node: absent from when the node went silent. */
  absent(live: LiveMeeting, code: string, at: Date): Promise<void>;
}

/**
 * One meeting across several hub nodes. The meeting's home node (MeetingHomes) holds its control state
 * and alone broadcasts it; every other node keeps a copy (`LiveMeeting.applyState`) from the home's
 * broadcasts, tells the home the presences of its own sites, forwards its sites' and chair's control
 * events to it, and applies what the home decided to its own sites (a chair's mute pauses a microphone
 * in the SFU of the node the site is on). Media goes between nodes through NodePipes. A node that dies
 * is noticed by the others: what came from it is closed, its sites show "reconnecting" until they join
 * again through the balancer, and the meetings it was home of move to the least loaded node alive.
 */
export class ClusterMeetings {
  readonly #deps: ClusterMeetingsDeps;
  readonly #deadNodeSites: DeadNodeSites;
  /** meetingId|site code → the node whose connection the site is on (the home's knowledge of the others). */
  readonly #siteNodes = new Map<string, string>();
  /** Meetings this node was home of at its last look: a new one is taken over. */
  readonly #homeOf = new Set<string>();

  constructor(deps: ClusterMeetingsDeps) {
    this.#deps = deps;
    const { cluster, io } = deps;
    this.#deadNodeSites = new DeadNodeSites(deps);
    cluster.rpc.handle(meetingMethods.event, async (_from, forwarded): Promise<AckResult<unknown>> => {
      try {
        const live = await deps.meetings.get(forwarded.meetingId);
        if (!(await this.isHome(live.id))) throw new SignallingError('INTERNAL', 'meeting.movedNode');
        return { ok: true, data: await this.#runForwarded(forwarded, live) };
      } catch (error) {
        return toAckError(error);
      }
    });
    cluster.rpc.handle(meetingMethods.presence, async (from, report) => {
      const live = await deps.meetings.get(report.meetingId);
      this.#siteNodes.set(`${live.id}|${report.code}`, from);
      this.#deadNodeSites.back(live.id, report.code);
      if (report.presence === null) live.clearPresence(report.code);
      else live.setPresence(report.code, report.presence);
      deps.meetings.changed(live);
    });
    io.on('cluster:state', (state) => {
      this.#applyState(state).catch((err: unknown) => this.#logError(err, state.meetingId));
    });
    io.on('cluster:status', (meetingId, status) => {
      this.#applyStatus(meetingId, status).catch((err: unknown) => this.#logError(err, meetingId));
    });
    cluster.on('nodeGone', (nodeId, lastSeenAt) => {
      this.#nodeGone(nodeId, lastSeenAt).catch((err: unknown) => this.#logError(err, undefined));
    });
  }

  /** Whether this node decides for the meeting now. */
  async isHome(meetingId: string): Promise<boolean> {
    const home = (await this.#deps.cluster.homes.homeOf(meetingId)) === this.#deps.cluster.nodeId;
    if (home) this.#homeOf.add(meetingId);
    else this.#homeOf.delete(meetingId);
    return home;
  }

  /** A loaded meeting's copy reports its sites' presences to the home (from this node, if it is not the home). */
  watch(live: LiveMeeting): void {
    live.onPresence = (code, presence) => {
      this.#reportPresence(live.id, code, presence).catch((err: unknown) => this.#logError(err, live.id));
    };
  }

  /** Whether another node (the meeting's home) decides the control events of this connection's meeting. */
  async decidedElsewhere(socket: HubSocket): Promise<boolean> {
    const session = socket.data.session;
    if (!session) return false;
    return !(await this.isHome(session.live.id));
  }

  /** The home decides: the event runs there, its answer (or refusal) comes back. */
  async forward(socket: HubSocket, event: HomeEvent, payload: unknown): Promise<AckResult<unknown>> {
    const session = socket.data.session!;
    const home = await this.#deps.cluster.homes.homeOf(session.live.id);
    const forwarded: ForwardedEvent = {
      meetingId: session.live.id,
      event,
      payload,
      socketId: socket.id,
      user: socket.data.user,
      seat: { siteCode: session.siteCode, siteName: session.siteName, isChair: session.isChair, peerId: session.media?.peerId ?? null },
    };
    return this.#deps.cluster.rpc.call(home, meetingMethods.event, forwarded);
  }

  /** The home's state goes to the pages (through the adapter, on every node) and to the other nodes' copies. */
  async shareState(live: LiveMeeting, emit: () => void): Promise<void> {
    if (!(await this.isHome(live.id))) return;
    emit();
    this.#deps.io.serverSideEmit('cluster:state', live.state());
  }

  /** The chair started, ended or called off the meeting on this node: every node's copy follows. */
  async shareStatus(meetingId: string, status: MeetingStatus): Promise<void> {
    this.#deps.io.serverSideEmit('cluster:status', meetingId, status);
    if (status === 'ENDED' || status === 'CANCELLED') await this.#deps.cluster.homes.release(meetingId);
    else if (await this.isHome(meetingId)) this.#deps.meetings.changed(await this.#deps.meetings.get(meetingId));
  }

  /** The sites of the meeting on other nodes, with what they produce (for a site joining here). */
  async remotePeers(meetingId: string): Promise<PeerInfo[]> {
    const { peers, producers } = await this.#deps.cluster.mediaLink.sites(meetingId);
    const remote = new Map<string, PeerInfo>();
    for (const { nodeId, peer } of peers) if (nodeId !== this.#deps.cluster.nodeId) remote.set(peer.peerId, { ...peer, producers: [] });
    for (const [producerId, location] of producers)
      remote
        .get(location.peer.peerId)
        ?.producers.push({ producerId, kind: location.kind, source: location.source, paused: location.paused });
    return [...remote.values()];
  }

  /** At the home: a connection of another node sent a control event; it runs here as for one of this node's. */
  async #runForwarded(forwarded: ForwardedEvent, live: LiveMeeting): Promise<unknown> {
    const { seat, user } = forwarded;
    const caller: Caller = {
      user,
      seat: { live, siteCode: seat.siteCode, siteName: seat.siteName, isChair: seat.isChair },
      peerId: seat.peerId ?? undefined,
    };
    return this.#deps.runControl(forwarded.event, caller, forwarded.payload);
  }

  async #reportPresence(meetingId: string, code: string, presence: SitePresence | null): Promise<void> {
    const home = await this.#deps.cluster.homes.homeOf(meetingId);
    if (home === this.#deps.cluster.nodeId) return;
    await this.#deps.cluster.rpc.notify(home, meetingMethods.presence, { meetingId, code, presence });
  }

  /** Another node (the home) broadcast the meeting's state: this node's copy and its own sites follow. */
  async #applyState(state: MeetingState): Promise<void> {
    const live = await this.#deps.meetings.ifLoaded(state.meetingId);
    if (!live) return;
    const sockets = this.#deps.localSockets(live.id);
    const before = { muted: new Set(live.mutedByChair), presenter: live.presenterCode };
    live.applyState(state, new Set(sockets.map((s) => s.data.session!.siteCode)));
    for (const socket of sockets) await this.#applyToSite(live, socket, before);
  }

  /** What the home decided about a site connected here: its removal, its microphone, its presentation. */
  async #applyToSite(live: LiveMeeting, socket: HubSocket, before: { muted: Set<string>; presenter: string | null }): Promise<void> {
    const session = socket.data.session;
    if (!session) return;
    const code = session.siteCode;
    if (live.removed.has(code) && !session.isChair) {
      socket.emit('meeting:closed', { reason: 'removed' });
      socket.disconnect(true);
      return;
    }
    const media = session.media;
    if (!media) return;
    const peer = media.room.peer(media.peerId);
    const muted = live.mutedByChair.has(code);
    if (muted !== before.muted.has(code))
      for (const producer of peer.producers.values()) {
        if (producer.appData.source !== 'microphone') continue;
        if (muted) await media.room.pauseProducer(media.peerId, producer.id);
        else await media.room.resumeProducer(media.peerId, producer.id);
        const payload = { peerId: media.peerId, producerId: producer.id };
        this.#deps.io
          .to(channels.media(live.id))
          .except(socket.id)
          .emit(muted ? 'producer:paused' : 'producer:resumed', payload);
      }
    if (before.presenter === code && live.presenterCode !== code)
      for (const producer of [...peer.producers.values()]) if (producer.appData.source === 'screen') producer.close();
  }

  async #applyStatus(meetingId: string, status: MeetingStatus): Promise<void> {
    const live = await this.#deps.meetings.ifLoaded(meetingId);
    if (!live) return;
    live.status = status;
    if (status === 'LIVE' && (await this.isHome(meetingId))) this.#deps.meetings.changed(live);
  }

  /** A node died or stopped: its pipes close, and the meetings it held or hosted sites of carry on here. */
  async #nodeGone(nodeId: string, lastSeenAt: Date): Promise<void> {
    this.#deps.log.warn({ nodeId }, 'a hub node left the cluster: its sites join again through the balancer');
    this.#deps.media.nodePipes?.nodeGone(nodeId);
    for (const live of await this.#deps.meetings.loaded()) {
      if (live.status !== 'LIVE') continue;
      const gonePeers = await this.#deps.cluster.mediaLink.forgetNode(live.id, nodeId);
      for (const peerId of gonePeers) this.#deps.io.local.to(channels.media(live.id)).emit('peer:left', { peerId });
      const wasHome = this.#homeOf.has(live.id);
      if (!(await this.isHome(live.id))) {
        // a new home (or the same): it hears of this node's sites again
        for (const socket of this.#deps.localSockets(live.id)) {
          const code = socket.data.session!.siteCode;
          await this.#reportPresence(live.id, code, live.presence(code));
        }
        continue;
      }
      const local = new Set(this.#deps.localSockets(live.id).map((s) => s.data.session!.siteCode));
      // the home's sites on the dead node; taking over, every site connected that is not here may have been there
      const suspects = wasHome
        ? [...this.#siteNodes].filter(([key, node]) => node === nodeId && key.startsWith(`${live.id}|`)).map(([key]) => key.split('|')[1]!)
        : live.connectedCodes.filter((code) => !local.has(code));
      for (const code of suspects) this.#siteNodes.delete(`${live.id}|${code}`);
      this.#deadNodeSites.gone(live, suspects, lastSeenAt);
      this.#deps.meetings.changed(live);
    }
  }

  #logError(err: unknown, meetingId: string | undefined): void {
    this.#deps.log.error({ err, meetingId }, 'cluster: a meeting’s state could not be shared between nodes');
  }
}
