import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { MediaServer, MeetingPeer, MeetingRoom } from '../../media-server/index.js';
import type { JoinMeetingResponse, PeerInfo } from '../../shared/protocol.js';
import type { AttendanceRecorder } from './AttendanceRecorder.js';
import type { LiveMeeting } from './LiveMeeting.js';
import type { CallSeat, LiveMeetingRegistry } from './LiveMeetingsTypes.js';
import { channels, type HubServer, type HubSocket, type Session, SignallingError } from '../realtime/index.js';
import { said } from '../../shared/messages/index.js';

export interface SiteSessionsDeps {
  io: HubServer;
  media: MediaServer;
  attendance: AttendanceRecorder;
  log: FastifyBaseLogger;
  /** A site gone without saying so shows "reconnecting" this long after it was last seen, then "left". */
  reconnectGraceMs: number;
  meetings: LiveMeetingRegistry;
  /** The room's events reach the sites (once per room). */
  wire(room: MeetingRoom): void;
  /** The meeting's sites on other hub nodes, with their producers (none on a single node). */
  remotePeers(meetingId: string): Promise<PeerInfo[]>;
}

/**
 * Who is in which meeting, through which connection: a site's join (lobby or media room), its leave,
 * and its eviction when its worker died. Every await in a join re-checks that the connection is still
 * the site's and undoes what it did otherwise, so a site that drops mid-join leaves no peer behind.
 * A site's presence ends when it was last seen (a signalling packet or its media), not when the hub noticed.
 */
export class SiteSessions {
  readonly #deps: SiteSessionsDeps;
  /**
   * A site's seats → their connections (lobby or admitted): the site's own, and at the host site also the
   * chair's. The chair and the host site's bridge-point account are both present and neither replaces the
   * other; a second connection of the same seat (another tab or PC) replaces the first.
   */
  readonly #siteSockets = new Map<string, HubSocket>();
  /** peerId → socket, to reach a peer from room events. */
  readonly #peerSockets = new Map<string, HubSocket>();
  /** Sites shown "reconnecting" after their connection dropped, until they are back or the grace ran out. */
  readonly #reconnecting = new Map<string, NodeJS.Timeout>();
  /** Sites in a meeting through their room system's SIP call, by their seat: how to hang the call up. */
  readonly #calls = new Map<string, () => void>();
  /** Set when the hub stops: every presence ends at this time. */
  #stoppedAt?: Date;

  constructor(deps: SiteSessionsDeps) {
    this.#deps = deps;
  }

  /** The site's connection: its own seat's, else (the host site) the chair's. */
  siteSocket(meetingId: string, code: string): HubSocket | undefined {
    return this.#siteSockets.get(siteKey(meetingId, code, false)) ?? this.#siteSockets.get(siteKey(meetingId, code, true));
  }

  /** The connections of the meeting's seats on this node. */
  localSockets(meetingId: string): HubSocket[] {
    return [...this.#siteSockets.values()].filter((socket) => socket.data.session?.live.id === meetingId);
  }

  peerSocket(peerId: string): HubSocket | undefined {
    return this.#peerSockets.get(peerId);
  }

  /** Admitted sessions, for the media watch. */
  *admitted(): Generator<Session & { media: NonNullable<Session['media']> }> {
    for (const socket of this.#peerSockets.values()) {
      const session = socket.data.session;
      if (session?.media) yield session as Session & { media: NonNullable<Session['media']> };
    }
  }

  async join(socket: HubSocket, meetingId: string): Promise<JoinMeetingResponse> {
    const { media, attendance } = this.#deps;
    const user = socket.data.user;
    const current = socket.data.session;
    if (current && (current.media || current.live.id !== meetingId))
      throw new SignallingError('ALREADY_JOINED', 'meeting.connectionAlreadyJoined');
    if (user.role !== 'BRIDGE_POINT' && user.role !== 'CHAIR') throw new SignallingError('FORBIDDEN', 'meeting.onlySitesJoin');
    const live = await this.#deps.meetings.get(meetingId);
    const isChair = live.record.chairId === user.id;
    const siteCode = isChair ? live.record.hostBridgePointCode : user.bridgePointCode;
    if (!siteCode) throw new SignallingError('UNKNOWN_BRIDGE_POINT', 'meeting.accountWithoutSite');
    this.#admit(live, siteCode, isChair);
    if (socket.disconnected) throw gone();

    const key = siteKey(meetingId, siteCode, isChair);
    if (this.#calls.has(key)) throw new SignallingError('ALREADY_JOINED', 'meeting.siteOnRoomSystem');
    // A seat that reconnects replaces its previous connection instead of appearing twice.
    const previous = this.#siteSockets.get(key);
    if (previous && previous !== socket) {
      // told first: a page that reconnects after any other disconnect by the server must not take the place back
      previous.emit('meeting:closed', { reason: 'replaced' });
      previous.disconnect(true);
      await this.leave(previous);
      if (socket.disconnected || (socket.data.session && socket.data.session !== current)) throw gone();
    }
    const siteName = live.record.invited.find((s) => s.code === siteCode)!.name;
    const session: Session = current ?? { live, siteCode, siteName, isChair, lastSeenAt: Date.now() };
    socket.data.session = session;
    this.#siteSockets.set(key, socket);
    this.#backInTime(siteKey(meetingId, siteCode, false));
    // from here on, a disconnect runs leave(), which clears the session: each step after an await checks it
    const stillHere = () => !socket.disconnected && socket.data.session === session;
    await socket.join(channels.state(meetingId));
    if (isChair) await socket.join(channels.chair(meetingId));
    if (!stillHere()) throw gone();

    if (live.status !== 'LIVE') {
      live.setPresence(siteCode, 'waiting');
      this.#deps.meetings.changed(live);
      return { admitted: false, meeting: live.state(), siteCode, isChair };
    }

    const room = await media.room(meetingId);
    this.#deps.wire(room);
    if (!stillHere()) throw gone();
    const peer = await room.join({ peerId: randomUUID(), bridgePointCode: siteCode, bridgePointName: siteName });
    if (!stillHere()) {
      // leave() ran while the room placed the peer: it never knew of it
      room.leave(peer.id);
      throw gone();
    }
    session.media = { peerId: peer.id, room };
    this.#peerSockets.set(peer.id, socket);
    await socket.join(channels.media(meetingId));
    // leave() ran meanwhile and took the peer out, and wrote the site absent: nothing more to announce
    if (!stillHere()) throw gone();
    // the sites and producers already there, taken as the socket starts hearing of new ones: each producer is
    // either in this list or announced by producer:new afterwards, never both (the attendance write below waits)
    const peers = [...[...room.peers].filter((p) => p.id !== peer.id).map(peerInfo), ...(await this.#deps.remotePeers(meetingId))];
    if (!stillHere()) throw gone();
    socket.to(channels.media(meetingId)).emit('peer:joined', peerInfo(peer));
    live.setPresence(siteCode, 'connected');
    // a site re-joining after its worker died never left, nor one whose other seat is there: its presence runs on
    if (!session.evicted && !inMeeting(this.#otherSeat(meetingId, siteCode, isChair)?.data.session))
      await attendance.present(meetingId, live.bridgePointId(siteCode));
    session.evicted = false;
    this.#deps.meetings.changed(live);
    this.#deps.log.info({ meetingId, siteCode, peerId: peer.id, workerIndex: peer.workerIndex }, 'site joined the meeting');
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

  /**
   * A bridge point takes its seat through its room system's call, under a page's rules (invited, not removed, not
   * locked out), in the lobby until the meeting is live. Refused while its own page is in the meeting (the host
   * site's chair may be). `hangUp` ends the call (the chair removes the site).
   */
  async seatCall(meetingId: string, siteCode: string, hangUp: () => void): Promise<Omit<CallSeat, 'answerRollCall'>> {
    const live = await this.#deps.meetings.get(meetingId);
    this.#admit(live, siteCode, false);
    const key = siteKey(meetingId, siteCode, false);
    if (this.#siteSockets.has(key) || this.#calls.has(key)) throw new SignallingError('ALREADY_JOINED', 'meeting.siteAlreadyHere');
    this.#calls.set(key, hangUp);
    this.#backInTime(key);
    let here = false;
    let left = false;
    if (live.status !== 'LIVE') {
      live.setPresence(siteCode, 'waiting');
      this.#deps.meetings.changed(live);
    }
    const chairInMeeting = () => inMeeting(this.#otherSeat(meetingId, siteCode, false)?.data.session);
    return {
      live,
      code: siteCode,
      name: live.record.invited.find((s) => s.code === siteCode)!.name,
      here: async () => {
        if (left || here) return;
        this.#admit(live, siteCode, false);
        here = true;
        live.onCall.add(siteCode);
        live.setPresence(siteCode, 'connected');
        if (!chairInMeeting()) await this.#deps.attendance.present(meetingId, live.bridgePointId(siteCode));
        this.#deps.meetings.changed(live);
        this.#deps.log.info({ meetingId, siteCode }, 'site joined the meeting by its room system');
      },
      leave: async () => {
        if (left) return;
        left = true;
        if (this.#calls.get(key) === hangUp) this.#calls.delete(key);
        live.onCall.delete(siteCode);
        if (this.#stoppedAt) return;
        if (here && live.status === 'LIVE' && !chairInMeeting())
          await this.#deps.attendance.absent(meetingId, live.bridgePointId(siteCode), new Date());
        if (!live.removed.has(siteCode)) {
          if (chairInMeeting()) live.setPresence(siteCode, 'connected');
          else if (here || live.hasAttended(siteCode)) live.setPresence(siteCode, 'left');
          else live.clearPresence(siteCode);
        }
        if (here) this.#deps.log.info({ meetingId, siteCode }, 'site left the meeting (its room system hung up)');
        if (live.status !== 'ENDED') this.#deps.meetings.changed(live);
      },
    };
  }

  /** Hangs up the call a site is in the meeting by (the chair removed it); false when it has none. */
  hangUpCall(meetingId: string, siteCode: string): boolean {
    const hangUp = this.#calls.get(siteKey(meetingId, siteCode, false));
    hangUp?.();
    return hangUp !== undefined;
  }

  /** Whether the site may be in the meeting now (as the chair's seat or its own); a SignallingError says why not. */
  #admit(live: LiveMeeting, siteCode: string, isChair: boolean): void {
    if (live.status === 'ENDED' || live.status === 'CANCELLED')
      throw new SignallingError('MEETING_ENDED', live.status === 'ENDED' ? 'meeting.ended' : 'meeting.cancelled');
    if (!live.isInvited(siteCode)) throw new SignallingError('NOT_INVITED', said('meeting.notInvited', { code: siteCode }));
    if (live.removed.has(siteCode)) throw new SignallingError('REMOVED', 'meeting.removed');
    if (live.locked && !live.hasAttended(siteCode) && !isChair) throw new SignallingError('MEETING_LOCKED', 'meeting.locked');
    if (this.#stoppedAt) throw new SignallingError('NOT_JOINED', 'meeting.hubRestarting');
  }

  /**
   * The site left (`meeting:leave`) or its connection dropped (`dropped`: it may come back, and shows
   * "reconnecting" meanwhile). Its presence ends when it was last seen, or when the hub stopped.
   */
  async leave(socket: HubSocket, { dropped = false } = {}): Promise<void> {
    const session = socket.data.session;
    if (!session) return;
    socket.data.session = undefined;
    const { live, siteCode } = session;
    const key = siteKey(live.id, siteCode, session.isChair);
    const replaced = this.#siteSockets.get(key) !== socket;
    if (!replaced) this.#siteSockets.delete(key);
    const leftAt = this.#stoppedAt ?? (dropped ? new Date(session.lastSeenAt) : new Date());
    const present = session.media !== undefined || session.evicted === true;
    this.#dropPeer(socket, session);
    // the site's other seat (the chair, or the host site's own account) may still be there: the site stays present
    const other = this.#otherSeat(live.id, siteCode, session.isChair)?.data.session;
    // an evicted site that never made it back is absent too, from when it was last seen
    if (present && live.status === 'LIVE' && !inMeeting(other))
      await this.#deps.attendance.absent(live.id, live.bridgePointId(siteCode), leftAt);
    for (const channel of [channels.state(live.id), channels.media(live.id), channels.chair(live.id)]) await socket.leave(channel);
    // the hub stops: the sites come back to find their hands raised where they were
    if (replaced || this.#stoppedAt) return;
    this.#deps.log.info({ meetingId: live.id, siteCode, chair: session.isChair, dropped, leftAt }, 'site left the meeting');
    if (other) {
      live.setPresence(siteCode, inMeeting(other) ? 'connected' : 'waiting');
      this.#deps.meetings.changed(live);
      return;
    }
    if (!live.removed.has(siteCode)) {
      const attended = present || live.hasAttended(siteCode);
      if (dropped && attended) this.#showReconnecting(live, siteCode, session.lastSeenAt);
      else if (attended) live.setPresence(siteCode, 'left');
      else live.clearPresence(siteCode);
    }
    if (live.status !== 'ENDED') this.#deps.meetings.changed(live);
  }

  /**
   * The peers' worker died: they are out of the room already; their sites are asked to join again on these
   * connections. Each is told before any news of the others leaving, which a page would only work through
   * (and tear down) before starting its rejoin.
   */
  evict(peerIds: readonly string[]): void {
    const evicted: Array<{ socket: HubSocket; session: Session }> = [];
    for (const peerId of peerIds) {
      const socket = this.#peerSockets.get(peerId);
      const session = socket?.data.session;
      if (!socket || session?.media?.peerId !== peerId) {
        this.#peerSockets.delete(peerId);
        continue;
      }
      socket.emit('meeting:rejoin', { reason: 'mediaLost' });
      // no media events for the site until it is back in a room
      Promise.resolve(socket.leave(channels.media(session.live.id))).catch((err: unknown) =>
        this.#deps.log.error({ err, meetingId: session.live.id, siteCode: session.siteCode }, 'leaving the media channel failed'),
      );
      evicted.push({ socket, session });
    }
    const meetings = new Set<LiveMeeting>();
    for (const { socket, session } of evicted) {
      const { live, siteCode } = session;
      const { peerId } = session.media!;
      // the connection stays, to join again, and the attendance runs on
      this.#dropPeer(socket, session);
      session.evicted = true;
      live.setPresence(siteCode, 'reconnecting');
      meetings.add(live);
      this.#deps.log.warn({ meetingId: live.id, siteCode, peerId }, 'site lost its media worker: asked to join again');
    }
    for (const live of meetings) this.#deps.meetings.changed(live);
  }

  /** The hub stops: every presence ends now, sites are told to come back, and no one joins any more. */
  async stop(at = new Date()): Promise<void> {
    this.#stoppedAt = at;
    for (const timer of this.#reconnecting.values()) clearTimeout(timer);
    this.#reconnecting.clear();
    // this node's connections only: with several nodes, the others' sites stay where they are
    this.#deps.io.local.emit('hub:restarting', {});
    this.#deps.io.local.disconnectSockets(true);
    // whatever a disconnect's leave() did not reach (a site mid-join, one whose worker died with the stop): ends now
    await this.#deps.attendance.closeOpen(at);
  }

  /** The site's peer out of the room (if still there) and the others told; the session keeps no media. */
  #dropPeer(socket: HubSocket, session: Session): void {
    if (!session.media) return;
    const { room, peerId } = session.media;
    session.media = undefined;
    this.#peerSockets.delete(peerId);
    room.leave(peerId);
    this.#deps.io.to(channels.media(session.live.id)).except(socket.id).emit('peer:left', { peerId });
  }

  /** The connection of the site's other seat in the meeting, if any. */
  #otherSeat(meetingId: string, siteCode: string, isChair: boolean): HubSocket | undefined {
    const socket = this.#siteSockets.get(siteKey(meetingId, siteCode, !isChair));
    return socket?.data.session?.live.id === meetingId ? socket : undefined;
  }

  #showReconnecting(live: LiveMeeting, siteCode: string, lastSeenAt: number): void {
    const key = siteKey(live.id, siteCode, false);
    live.setPresence(siteCode, 'reconnecting');
    this.#backInTime(key);
    const timer = setTimeout(
      () => {
        this.#reconnecting.delete(key);
        if (this.siteSocket(live.id, siteCode) || live.presence(siteCode) !== 'reconnecting') return;
        live.setPresence(siteCode, 'left');
        this.#deps.meetings.changed(live);
      },
      Math.max(0, lastSeenAt + this.#deps.reconnectGraceMs - Date.now()),
    );
    timer.unref();
    this.#reconnecting.set(key, timer);
  }

  #backInTime(key: string): void {
    clearTimeout(this.#reconnecting.get(key));
    this.#reconnecting.delete(key);
  }
}

const siteKey = (meetingId: string, code: string, chair: boolean) => `${meetingId}/${code}${chair ? '#chair' : ''}`;

/** The session is in the meeting's room (or was, until its worker died and it is rejoining). */
const inMeeting = (session: Session | undefined): boolean => session?.media !== undefined || session?.evicted === true;

const gone = () => new SignallingError('NOT_JOINED', 'meeting.connectionClosed');

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
