import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { acceptSdpOffer, SdpOfferError, type MeetingRoom } from '../../media-server/index.js';
import type { Db } from '../../prisma/index.js';
import { feedCode, type CreateIngestRequest, type IngestCreatedDto, type IngestDto, type IngestKind } from '../../shared/meetings.js';
import type { AuthenticatedUser } from '../auth/AuthService.js';
import type { LiveMeeting } from '../meetings/LiveMeeting.js';
import { channels, type HubServer } from '../SignallingTypes.js';
import { IngestError } from './IngestError.js';

/** What the meetings side offers a feed: the live meeting's room, and its state pushed to everyone. */
export interface FeedHost {
  feedRoom(meetingId: string): Promise<{ live: LiveMeeting; room: MeetingRoom } | undefined>;
  loadedMeeting(meetingId: string): Promise<LiveMeeting | undefined>;
  feedChanged(live: LiveMeeting): void;
}

interface FeedSession {
  id: string;
  ingestId: string;
  meetingId: string;
  peerId: string;
  room: MeetingRoom;
  live: LiveMeeting;
  ended: boolean;
  connectTimer?: NodeJS.Timeout;
}

/** An encoder that answered 201 but never connects (ICE) is dropped after this long. */
const defaultConnectTimeoutMs = 30_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Feeds from outside a meeting (the Government's meeting, a hardware encoder): the chair adds one
 * with a name and gets the address and bearer token its encoder pushes to; while the encoder sends,
 * the feed is a site of the meeting (a peer of its own, its tile, its presence), and when it stops
 * the site leaves. One session per feed: an encoder that connects again replaces its last session.
 */
export class IngestService {
  readonly #prisma: Db;
  readonly #io: HubServer;
  readonly #host: FeedHost;
  readonly #log: FastifyBaseLogger;
  readonly #connectTimeoutMs: number;
  /** By ingest id. */
  readonly #sessions = new Map<string, FeedSession>();

  constructor(deps: { prisma: Db; io: HubServer; host: FeedHost; log: FastifyBaseLogger; connectTimeoutMs?: number }) {
    this.#connectTimeoutMs = deps.connectTimeoutMs ?? defaultConnectTimeoutMs;
    this.#prisma = deps.prisma;
    this.#io = deps.io;
    this.#host = deps.host;
    this.#log = deps.log;
  }

  async create(meetingId: string, user: AuthenticatedUser, request: CreateIngestRequest, baseUrl: string): Promise<IngestCreatedDto> {
    if (request.kind !== 'whip')
      throw new IngestError('BAD_REQUEST', `kind "${request.kind}" is not taken by this hub yet: add the feed as "whip"`);
    const token = randomBytes(24).toString('base64url');
    const row = await this.#prisma.meetingIngest.create({
      data: {
        id: randomBytes(4).toString('hex'),
        meetingId,
        name: request.name,
        kind: 'WHIP',
        tokenHash: hashOf(token).toString('hex'),
        createdById: user.id,
      },
    });
    const live = await this.#host.loadedMeeting(meetingId);
    if (live) {
      live.feeds.set(row.id, { id: row.id, code: feedCode(row.id), name: row.name, kind: 'whip', presence: 'waiting' });
      this.#host.feedChanged(live);
    }
    return { ...this.#dto(row, baseUrl), token };
  }

  async list(meetingId: string, baseUrl: string): Promise<IngestDto[]> {
    const rows = await this.#prisma.meetingIngest.findMany({ where: { meetingId, removedAt: null }, orderBy: { createdAt: 'asc' } });
    return rows.map((row) => this.#dto(row, baseUrl));
  }

  /** The feed goes: its encoder is disconnected and its token no longer works. */
  async remove(meetingId: string, ingestId: string): Promise<void> {
    const { count } = await this.#prisma.meetingIngest.updateMany({
      where: { id: ingestId, meetingId, removedAt: null },
      data: { removedAt: new Date() },
    });
    if (count === 0) throw new IngestError('NOT_FOUND', `no feed ${ingestId} in this meeting`);
    const session = this.#sessions.get(ingestId);
    if (session) this.#end(session);
    const live = await this.#host.loadedMeeting(meetingId);
    if (live?.feeds.delete(ingestId)) this.#host.feedChanged(live);
  }

  /** WHIP: the encoder's offer (undefined: not sent as SDP), with its bearer token; answers the session's id and the SDP answer. */
  async publish(ingestId: string, bearer: string | undefined, offer: string | undefined): Promise<{ sessionId: string; answer: string }> {
    const row = await this.#authorised(ingestId, bearer);
    if (offer === undefined) throw new IngestError('UNSUPPORTED_MEDIA_TYPE', 'send the SDP offer as application/sdp');
    const place = await this.#host.feedRoom(row.meetingId);
    if (!place) throw new IngestError('NOT_LIVE', 'the meeting is not live: push again once the chair has started it');
    const previous = this.#sessions.get(ingestId);
    if (previous) this.#end(previous);

    const { live, room } = place;
    const session: FeedSession = {
      id: randomUUID(),
      ingestId,
      meetingId: row.meetingId,
      peerId: `feed-${randomUUID()}`,
      room,
      live,
      ended: false,
    };
    const peer = await room.join({ peerId: session.peerId, bridgePointCode: feedCode(ingestId), bridgePointName: row.name });
    let answer: string;
    try {
      const ingest = await acceptSdpOffer(room, peer.id, offer);
      answer = ingest.answer;
      // the encoder went away (ICE or DTLS lost), or the meeting's room closed with its transport
      ingest.transport.on('dtlsstatechange', (state) => {
        if (state === 'failed' || state === 'closed') this.#end(session);
      });
      ingest.transport.on('icestatechange', (state) => {
        if (state === 'disconnected') this.#end(session);
      });
      ingest.transport.observer.on('close', () => this.#end(session));
      const transport = ingest.transport;
      session.connectTimer = setTimeout(() => {
        if (transport.iceState !== 'connected' && transport.iceState !== 'completed') this.#end(session);
      }, this.#connectTimeoutMs);
      const media = this.#io.to(channels.media(row.meetingId));
      media.emit('peer:joined', { peerId: peer.id, bridgePointCode: feedCode(ingestId), bridgePointName: row.name, producers: [] });
      for (const producer of ingest.producers) {
        producer.observer.on('close', () => media.emit('producer:closed', { peerId: peer.id, producerId: producer.id }));
        media.emit('producer:new', {
          peerId: peer.id,
          producerId: producer.id,
          kind: producer.kind,
          source: producer.appData.source,
          paused: false,
        });
      }
    } catch (error) {
      room.leave(peer.id);
      if (error instanceof SdpOfferError) throw new IngestError('BAD_REQUEST', error.message);
      throw error;
    }
    this.#sessions.set(ingestId, session);
    this.#setPresence(session, 'connected');
    this.#log.info({ meetingId: row.meetingId, ingestId }, 'a feed from outside joined the meeting');
    return { sessionId: session.id, answer };
  }

  /** WHIP: DELETE on the session's address. */
  async unpublish(ingestId: string, bearer: string | undefined, sessionId: string): Promise<void> {
    await this.#authorised(ingestId, bearer);
    const session = this.#sessions.get(ingestId);
    if (session?.id !== sessionId) throw new IngestError('NOT_FOUND', 'no such session (it ended, or another replaced it)');
    this.#end(session);
  }

  close(): void {
    for (const session of [...this.#sessions.values()]) this.#end(session);
  }

  #end(session: FeedSession): void {
    if (session.ended) return;
    session.ended = true;
    clearTimeout(session.connectTimer);
    if (this.#sessions.get(session.ingestId) === session) this.#sessions.delete(session.ingestId);
    if (!session.room.closed && [...session.room.peers].some((p) => p.id === session.peerId)) {
      session.room.leave(session.peerId);
      this.#io.to(channels.media(session.meetingId)).emit('peer:left', { peerId: session.peerId });
    }
    // an encoder that connected again is there already
    if (!this.#sessions.has(session.ingestId)) this.#setPresence(session, 'waiting');
  }

  #setPresence(session: FeedSession, presence: 'waiting' | 'connected'): void {
    const feed = session.live.feeds.get(session.ingestId);
    if (!feed || feed.presence === presence) return;
    feed.presence = presence;
    this.#host.feedChanged(session.live);
  }

  async #authorised(ingestId: string, bearer: string | undefined) {
    const row = await this.#prisma.meetingIngest.findUnique({ where: { id: ingestId } });
    if (!row || row.removedAt) throw new IngestError('NOT_FOUND', `no feed ${ingestId}`);
    const stored = Buffer.from(row.tokenHash, 'hex');
    if (!bearer || !timingSafeEqual(hashOf(bearer), stored)) throw new IngestError('UNAUTHORIZED', 'wrong or missing bearer token');
    return row;
  }

  #dto(row: { id: string; name: string; kind: string; createdAt: Date }, baseUrl: string): IngestDto {
    return {
      id: row.id,
      code: feedCode(row.id),
      name: row.name,
      kind: row.kind.toLowerCase() as IngestKind,
      url: `${baseUrl}/api/ingests/${row.id}/whip`,
      createdAt: row.createdAt.toISOString(),
      connected: this.#sessions.has(row.id),
    };
  }
}
