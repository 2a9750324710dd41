import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { MeetingRoom } from '../../media-server/index.js';
import { feedCode } from '../../shared/meetings.js';
import type { LiveMeeting, LiveMeetingRegistry } from '../meetings/index.js';
import { channels, type HubServer } from '../realtime/index.js';

/** What the meetings side offers a feed: the live meeting's room, and the meetings' states. */
export interface FeedHost {
  feedRoom(meetingId: string): Promise<{ live: LiveMeeting; room: MeetingRoom } | undefined>;
  readonly meetings: LiveMeetingRegistry;
}

/** A feed in a meeting now: its peer, while its encoder sends. */
export interface FeedSession {
  id: string;
  ingestId: string;
  meetingId: string;
  peerId: string;
  room: MeetingRoom;
  live: LiveMeeting;
  /** The site it is in the meeting: its feed's code, or a bridge point's (a room system's call). */
  code: string;
  ended: boolean;
  /** The sites were told of it (peer:joined). */
  announced: boolean;
  /** Cleared when the session ends (a WHIP encoder's time to connect). */
  timers: NodeJS.Timeout[];
}

/**
 * The feeds in meetings, one session per feed: a peer of its own joins the meeting's room, the sites
 * are told of it and of its producers as of any site's, its presence follows; when the encoder stops,
 * the peer leaves. A feed whose encoder connects again replaces its last session.
 */
export class FeedSessions {
  readonly #io: HubServer;
  readonly #host: FeedHost;
  /** By ingest id. */
  readonly #sessions = new Map<string, FeedSession>();

  constructor(io: HubServer, host: FeedHost) {
    this.#io = io;
    this.#host = host;
  }

  current(ingestId: string): FeedSession | undefined {
    return this.#sessions.get(ingestId);
  }

  /**
   * The feed's peer joins the room (its last session, if any, ends first); announce it once its media is set up.
   * `ownCodecs`: on a router of its own, numbered so (a SIP caller's offer). `code`: the site it is, when not a feed
   * of its own (a bridge point's room system).
   */
  async open(
    feed: { id: string; name: string; meetingId: string; code?: string },
    place: { live: LiveMeeting; room: MeetingRoom },
    ownCodecs?: types.RouterRtpCodecCapability[],
  ): Promise<FeedSession> {
    this.endFeed(feed.id);
    const session: FeedSession = {
      id: randomUUID(),
      ingestId: feed.id,
      meetingId: feed.meetingId,
      peerId: `feed-${randomUUID()}`,
      room: place.room,
      live: place.live,
      code: feed.code ?? feedCode(feed.id),
      ended: false,
      announced: false,
      timers: [],
    };
    await place.room.join({ peerId: session.peerId, bridgePointCode: session.code, bridgePointName: feed.name }, ownCodecs);
    return session;
  }

  /** The session's media is there: the sites hear of the new site and its producers, and the feed shows `connected`. */
  announce(session: FeedSession, name: string, producers: Array<types.Producer<{ source: 'camera' | 'microphone' | 'screen' }>>): void {
    if (session.ended) return;
    session.announced = true;
    this.#sessions.set(session.ingestId, session);
    const media = this.#io.to(channels.media(session.meetingId));
    media.emit('peer:joined', {
      peerId: session.peerId,
      bridgePointCode: session.code,
      bridgePointName: name,
      producers: [],
    });
    for (const producer of producers) this.announceProducer(session, producer);
    this.#setPresence(session, 'connected');
  }

  /** A producer of an announced session (its first ones, or a room system's content later): the sites hear of it, and of its end. */
  announceProducer(session: FeedSession, producer: types.Producer<{ source: 'camera' | 'microphone' | 'screen' }>): void {
    const media = this.#io.to(channels.media(session.meetingId));
    producer.observer.on('close', () => media.emit('producer:closed', { peerId: session.peerId, producerId: producer.id }));
    media.emit('producer:new', {
      peerId: session.peerId,
      producerId: producer.id,
      kind: producer.kind,
      source: producer.appData.source,
      paused: false,
    });
  }

  /** The session's peer leaves the room (if it is still there) and the feed waits again, unless a newer session took over. */
  end(session: FeedSession): void {
    if (session.ended) return;
    session.ended = true;
    for (const timer of session.timers) clearTimeout(timer);
    if (this.#sessions.get(session.ingestId) === session) this.#sessions.delete(session.ingestId);
    if (!session.room.closed && [...session.room.peers].some((p) => p.id === session.peerId)) {
      session.room.leave(session.peerId);
      if (session.announced) this.#io.to(channels.media(session.meetingId)).emit('peer:left', { peerId: session.peerId });
    }
    if (!this.#sessions.has(session.ingestId)) this.#setPresence(session, 'waiting');
  }

  endFeed(ingestId: string): void {
    const session = this.#sessions.get(ingestId);
    if (session) this.end(session);
  }

  close(): void {
    for (const session of [...this.#sessions.values()]) this.end(session);
  }

  #setPresence(session: FeedSession, presence: 'waiting' | 'connected'): void {
    const feed = session.live.feeds.get(session.ingestId);
    if (!feed || feed.presence === presence) return;
    feed.presence = presence;
    // a feed that presented and stopped sending frees the presentation floor, and its hand is down
    if (presence === 'waiting' && session.live.presenterCode === feed.code) session.live.presenterCode = null;
    if (presence === 'waiting') session.live.raiseHand(feed.code, false);
    this.#host.meetings.changed(session.live);
  }
}
