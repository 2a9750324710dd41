import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import type { CredentialCipher } from '../../camera-gateway/index.js';
import { acceptSdpOffer, SdpOfferError } from '../../media-server/index.js';
import type { Db } from '../../prisma/index.js';
import { z } from 'zod';
import {
  feedCode,
  rtspSourceSchema,
  sipSourceSchema,
  type CreateIngestRequest,
  type IngestCreatedDto,
  type IngestDto,
  type IngestKind,
  type MeetingStatus,
} from '../../shared/meetings.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { HubServer } from '../realtime/index.js';
import { FeedSessions, type FeedHost } from './FeedSessions.js';
import { IngestError } from './IngestError.js';
import { StreamFeeds, pushUrl, type StreamFeed } from './StreamFeeds.js';
import { SipFeeds, type SipFeed } from './SipFeeds.js';
import type { ProgramSending } from './SipCallMedia.js';
import { DialInCodes, type DialInDetails } from './DialInCodes.js';
import { SipDialIn, type RoomSystemAccounts, type SiteCalls } from './SipDialIn.js';
import type { PlacedCallDeps } from './PlacedCall.js';
import { sipTargetUrl } from './sipTargets.js';
import { defaultDialOutOptions, RoomSystemDialOut, type RoomSystemTargets } from './RoomSystemDialOut.js';
import type { DestinationPolicy } from '../destinations/index.js';
import type { BfcpServer, SipEndpoint } from '../../sip/index.js';
import { said } from '../../shared/messages/index.js';

export type { FeedHost } from './FeedSessions.js';

export interface IngestOptions {
  /** An encoder that answered 201 but never connects (ICE) is dropped after this long (WHIP). */
  connectTimeoutMs: number;
  /** Where RTMP and SRT listeners listen, and their ports (FEED_LISTEN_IP, FEED_MIN_PORT, FEED_MAX_PORT). */
  listenIp: string;
  minPort: number;
  maxPort: number;
}

export const defaultIngestOptions: IngestOptions = { connectTimeoutMs: 30_000, listenIp: '0.0.0.0', minPort: 19350, maxPort: 19449 };

/** The hub's SIP side for feeds it calls: its endpoint, where the calls' media listen, and where it may call. */
export interface SipFeedDeps {
  endpoint: SipEndpoint;
  /** The BFCP server of the calls' content floor. */
  floorControl?: BfcpServer;
  listenInfo: types.TransportListenInfo;
  /** SIP_ALLOWED_SUBNETS; never the hub's own services. */
  targets: DestinationPolicy;
  /** After a call that did not connect or ended, the next try. */
  redialMs?: number;
  /** What a call is sent: the meeting's program. */
  program: ProgramSending;
  /** Where the spoken announcements of the dial-in are kept once made. */
  promptDir: string;
  /** Bridge points' room systems calling as their sites, and called by the hub. */
  sites: SiteCalls;
  roomSystems: RoomSystemAccounts & RoomSystemTargets;
}

/** The SIP side's parts, with SIP=on. */
interface SipSide {
  feeds: SipFeeds;
  dialIn: SipDialIn;
  dialOut: RoomSystemDialOut;
  codes: DialInCodes;
  endpoint: SipEndpoint;
  targets: DestinationPolicy;
}

type IngestRow = {
  id: string;
  meetingId: string;
  name: string;
  kind: string;
  port: number | null;
  secretCipher: string | null;
  createdAt: Date;
};

/** How the caller reached the hub (its URL for WHIP, its host name for RTMP and SRT). */
export interface HubAddress {
  baseUrl: string;
  hostname: string;
}

const ingestKindColumn = { whip: 'WHIP', rtmp: 'RTMP', srt: 'SRT', rtsp: 'RTSP', sip: 'SIP' } as const;
/** The feeds the hub runs while their meeting is live: listened for (RTMP, SRT), pulled (RTSP) or called (SIP). */
const whileLiveKinds: Array<'RTMP' | 'SRT' | 'RTSP' | 'SIP'> = ['RTMP', 'SRT', 'RTSP', 'SIP'];

/** Compared against when the feed is unknown, so both refusals take the same work. */
const unknownFeedHash = createHash('sha256').update('no such feed').digest();

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Feeds from outside a meeting (the Government's meeting, a hardware encoder): the chair adds one with
 * a name and a kind and gets where its encoder sends, with a secret shown once (WHIP's bearer token,
 * RTMP's stream key, SRT's passphrase); while the encoder sends, the feed is a site of the meeting
 * (`FeedSessions`). WHIP offers are taken here; RTMP and SRT pushes by listeners (`StreamFeeds`) that
 * run while the meeting is live.
 */
export class IngestService {
  readonly #sources: DestinationPolicy;
  readonly #prisma: Db;
  readonly #host: FeedHost;
  readonly #log: FastifyBaseLogger;
  readonly #cipher: CredentialCipher;
  readonly #options: IngestOptions;
  readonly #sessions: FeedSessions;
  readonly #streams: StreamFeeds;
  /** Undefined with SIP=off. */
  readonly #sip?: SipSide;

  constructor(deps: {
    prisma: Db;
    io: HubServer;
    host: FeedHost & { onStatusChange(listener: (meetingId: string, status: MeetingStatus) => void): void };
    log: FastifyBaseLogger;
    /** Seals RTMP stream keys and SRT passphrases at rest (the camera credentials' key). */
    cipher: CredentialCipher;
    /** Where the RTP senders of pushed feeds send to (loopback). */
    listenInfo: types.TransportListenInfo;
    options?: Partial<IngestOptions>;
    /** Where RTSP feeds may be pulled from (FEED_ALLOWED_SUBNETS; never the hub's own services). */
    sources: DestinationPolicy;
    /** The SIP side, with SIP=on. */
    sip?: SipFeedDeps;
  }) {
    this.#sources = deps.sources;
    this.#prisma = deps.prisma;
    this.#host = deps.host;
    this.#log = deps.log;
    this.#cipher = deps.cipher;
    this.#options = { ...defaultIngestOptions, ...deps.options };
    this.#sessions = new FeedSessions(deps.io, deps.host);
    this.#streams = new StreamFeeds({
      sessions: this.#sessions,
      host: deps.host,
      options: { listenIp: this.#options.listenIp, listenInfo: deps.listenInfo },
      log: deps.log,
    });
    if (deps.sip) {
      const { endpoint } = deps.sip;
      const codes = new DialInCodes(deps.prisma, deps.cipher);
      const dialIn = new SipDialIn({
        codes,
        sessions: this.#sessions,
        host: deps.host,
        sites: deps.sip.sites,
        roomSystems: deps.sip.roomSystems,
        failedFrom: (sourceAddress) => endpoint.failedFrom(sourceAddress),
        program: deps.sip.program,
        floorControl: deps.sip.floorControl,
        log: deps.log,
        options: { listenInfo: deps.sip.listenInfo, promptDir: deps.sip.promptDir, userAgent: deps.sip.endpoint.userAgent },
      });
      deps.sip.endpoint.onIncoming((call) => dialIn.take(call));
      // the calls the hub places, to the MCUs and to the sites' room systems
      const placing: PlacedCallDeps = {
        endpoint,
        sessions: this.#sessions,
        program: deps.sip.program,
        listenInfo: deps.sip.listenInfo,
        log: deps.log,
        changed: (live) => deps.host.meetings.changed(live),
        floorControl: deps.sip.floorControl,
      };
      this.#sip = {
        codes,
        dialIn,
        endpoint: deps.sip.endpoint,
        targets: deps.sip.targets,
        dialOut: new RoomSystemDialOut({
          endpoint,
          placing,
          host: deps.host,
          sites: deps.sip.sites,
          roomSystems: deps.sip.roomSystems,
          targets: deps.sip.targets,
          log: deps.log,
          options: { ...defaultDialOutOptions, redialMs: deps.sip.redialMs ?? 10_000 },
        }),
        feeds: new SipFeeds({ placing, host: deps.host, log: deps.log, options: { redialMs: deps.sip.redialMs ?? 10_000 } }),
      };
    }
    deps.host.onStatusChange((meetingId, status) => {
      this.#meetingStatus(meetingId, status).catch((err: unknown) => this.#log.error({ err, meetingId }, 'feed listeners not updated'));
    });
  }

  /** At start-up: the live meetings' RTMP and SRT feeds listen again, their RTSP feeds are pulled and SIP feeds called. */
  async start(): Promise<void> {
    const rows = await this.#prisma.meetingIngest.findMany({
      where: { removedAt: null, kind: { in: whileLiveKinds }, meeting: { status: 'LIVE' } },
    });
    for (const row of rows) this.#runStored(row);
  }

  async create(meetingId: string, user: AuthenticatedUser, request: CreateIngestRequest, address: HubAddress): Promise<IngestCreatedDto> {
    if (request.kind === 'sip') {
      if (!this.#sip) throw new IngestError('CONFLICT', 'ingest.sipOffForFeed');
      await this.#sip.targets.check(sipTargetUrl(request.source!));
    } else if (request.source) await this.#sources.check(new URL(request.source));
    // WHIP's bearer token, RTMP's stream key, SRT's passphrase; an RTSP or SIP feed's is its source (an RTSP one's
    // credentials in it). Every kind but WHIP runs while the meeting is live, with its secret sealed at rest.
    const secret = request.source ?? randomBytes(24).toString('base64url');
    const whileLive = request.kind !== 'whip';
    const row = await this.#prisma.meetingIngest.create({
      data: {
        id: randomBytes(4).toString('hex'),
        meetingId,
        name: request.name,
        kind: ingestKindColumn[request.kind],
        tokenHash: hashOf(secret).toString('hex'),
        port: request.kind === 'rtmp' || request.kind === 'srt' ? await this.#freePort() : null,
        secretCipher: whileLive ? this.#cipher.encrypt(secret) : null,
        createdById: user.id,
      },
    });
    const live = await this.#host.meetings.ifLoaded(meetingId);
    if (live) {
      live.feeds.set(row.id, { id: row.id, code: feedCode(row.id), name: row.name, kind: request.kind, presence: 'waiting' });
      this.#host.meetings.changed(live);
    }
    // the meeting's status from the database: nobody may have joined it yet (then it is not loaded)
    const meeting = await this.#prisma.meeting.findUnique({ where: { id: meetingId }, select: { status: true } });
    if (whileLive && meeting?.status === 'LIVE') this.#runStored(row);
    return { ...this.#dto(row, address, secret), token: request.kind === 'rtsp' || request.kind === 'sip' ? '' : secret };
  }

  async list(meetingId: string, address: HubAddress): Promise<IngestDto[]> {
    const rows = await this.#prisma.meetingIngest.findMany({ where: { meetingId, removedAt: null }, orderBy: { createdAt: 'asc' } });
    return rows.map((row) => this.#dto(row, address));
  }

  /** The feed goes: its encoder is disconnected and its secret no longer works. */
  async remove(meetingId: string, ingestId: string): Promise<void> {
    const { count } = await this.#prisma.meetingIngest.updateMany({
      where: { id: ingestId, meetingId, removedAt: null },
      data: { removedAt: new Date() },
    });
    if (count === 0) throw new IngestError('NOT_FOUND', said('ingest.notFound', { id: ingestId }));
    this.#streams.stop(ingestId);
    this.#sip?.feeds.stop(ingestId);
    this.#sessions.endFeed(ingestId);
    const live = await this.#host.meetings.ifLoaded(meetingId);
    if (live?.feeds.delete(ingestId)) this.#host.meetings.changed(live);
  }

  /** WHIP: the encoder's offer (undefined: not sent as SDP), with its bearer token; answers the session's id and the SDP answer. */
  async publish(ingestId: string, bearer: string | undefined, offer: string | undefined): Promise<{ sessionId: string; answer: string }> {
    const row = await this.#authorised(ingestId, bearer);
    if (row.kind !== 'WHIP') throw new IngestError('NOT_FOUND', said('ingest.notWhip', { id: ingestId, kind: row.kind }));
    if (offer === undefined) throw new IngestError('UNSUPPORTED_MEDIA_TYPE', 'ingest.sdpContentType');
    const place = await this.#host.feedRoom(row.meetingId);
    if (!place) throw new IngestError('NOT_LIVE', 'ingest.notLive');
    const session = await this.#sessions.open(row, place);
    try {
      const { answer, transport, producers } = await acceptSdpOffer(place.room, session.peerId, offer);
      // the encoder went away (ICE or DTLS lost, or never connected), or the meeting's room closed with its transport
      transport.on('dtlsstatechange', (state) => {
        if (state === 'failed' || state === 'closed') this.#sessions.end(session);
      });
      transport.on('icestatechange', (state) => {
        if (state === 'disconnected') this.#sessions.end(session);
      });
      transport.observer.on('close', () => this.#sessions.end(session));
      session.timers.push(
        setTimeout(() => {
          if (transport.iceState !== 'connected' && transport.iceState !== 'completed') this.#sessions.end(session);
        }, this.#options.connectTimeoutMs),
      );
      this.#sessions.announce(session, row.name, producers);
      this.#log.info({ meetingId: row.meetingId, ingestId }, 'a WHIP feed joined the meeting');
      return { sessionId: session.id, answer };
    } catch (error) {
      this.#sessions.end(session);
      if (error instanceof SdpOfferError) throw new IngestError('BAD_REQUEST', error.said);
      throw error;
    }
  }

  /** WHIP: DELETE on the session's address. */
  async unpublish(ingestId: string, bearer: string | undefined, sessionId: string): Promise<void> {
    await this.#authorised(ingestId, bearer);
    const session = this.#sessions.current(ingestId);
    if (session?.id !== sessionId) throw new IngestError('NOT_FOUND', 'ingest.noSession');
    this.#sessions.end(session);
  }

  /**
   * How SIP callers reach the meeting: its conference ID and PIN (given now if it had none) and the address to
   * call. The chair gives them to the room systems; they are never logged.
   */
  async dialIn(meetingId: string): Promise<DialInDetails & { sipUri: string }> {
    if (!this.#sip) throw new IngestError('CONFLICT', 'ingest.sipOffForDialIn');
    const details = await this.#sip.codes.forMeeting(meetingId);
    return { ...details, sipUri: `sip:${details.conferenceId}@${this.#sip.endpoint.address}` };
  }

  /** The chair hangs up a room system that dialled in (its site's id, as the meeting's feeds show it). */
  hangUpCaller(meetingId: string, callerId: string): void {
    if (!this.#sip?.dialIn.hangUp(meetingId, callerId)) throw new IngestError('NOT_FOUND', 'ingest.noDialIn');
  }

  /** The chair calls a site's room system, or every invited one not in the meeting (`code` undefined); the sites called. */
  async callRoomSystems(meetingId: string, code?: string): Promise<string[]> {
    const sip = this.#requireSip();
    if (code === undefined) return sip.dialOut.dialAll(meetingId);
    await sip.dialOut.dial(meetingId, code);
    return [code];
  }

  /** The chair stops calling a site's room system, or hangs it up. */
  hangUpRoomSystem(meetingId: string, code: string): void {
    if (!this.#requireSip().dialOut.stop(meetingId, code)) throw new IngestError('NOT_FOUND', said('ingest.notCalling', { code }));
  }

  #requireSip(): SipSide {
    if (!this.#sip) throw new IngestError('CONFLICT', 'ingest.sipOffForDialOut');
    return this.#sip;
  }

  close(): void {
    this.#sip?.dialIn.close();
    this.#sip?.dialOut.close();
    this.#sip?.feeds.close();
    this.#streams.close();
    this.#sessions.close();
  }

  async #meetingStatus(meetingId: string, status: MeetingStatus): Promise<void> {
    if (status === 'LIVE') {
      this.#sip?.dialIn.meetingStarted(meetingId);
      const meeting = await this.#prisma.meeting.findUnique({ where: { id: meetingId }, select: { callRoomSystemsAtStart: true } });
      if (meeting?.callRoomSystemsAtStart) await this.#callRoomSystemsOf(meetingId);
    } else {
      this.#sip?.dialIn.meetingEnded(meetingId);
      this.#sip?.dialOut.meetingEnded(meetingId);
    }
    const rows = await this.#prisma.meetingIngest.findMany({
      where: { meetingId, removedAt: null, kind: { in: whileLiveKinds } },
    });
    for (const row of rows) {
      if (status === 'LIVE') this.#runStored(row);
      else {
        this.#streams.stop(row.id);
        this.#sip?.feeds.stop(row.id);
      }
    }
  }

  /**
   * At the start of a meeting set to, the hub calls its invited room systems (none with SIP off). One that cannot be
   * called says why on the console; the others are called all the same.
   */
  async #callRoomSystemsOf(meetingId: string): Promise<void> {
    if (!this.#sip) return;
    try {
      const called = await this.#sip.dialOut.dialAll(meetingId);
      this.#log.info({ meetingId, called: called.length }, "the hub calls the meeting's room systems, as set for its start");
    } catch (err) {
      this.#log.error({ err, meetingId }, "the meeting's room systems were not called at its start");
    }
  }

  /** The lowest feed port no other feed holds. */
  async #freePort(): Promise<number> {
    const taken = new Set(
      (await this.#prisma.meetingIngest.findMany({ where: { removedAt: null, port: { not: null } }, select: { port: true } })).map(
        (r) => r.port,
      ),
    );
    for (let port = this.#options.minPort; port <= this.#options.maxPort; port++) if (!taken.has(port)) return port;
    throw new IngestError('CONFLICT', said('ingest.portsTaken', { min: this.#options.minPort, max: this.#options.maxPort }));
  }

  /**
   * A stored feed listens, pulls or is called again; one that no longer passes as it is stored (a source the rules
   * now refuse, a secret that does not open) is logged and skipped, and the hub goes on.
   */
  #runStored(row: IngestRow): void {
    if (row.kind === 'SIP' && !this.#sip) {
      // a SIP feed stored while SIP was on, on a hub now started with SIP=off
      this.#log.warn({ ingestId: row.id, meetingId: row.meetingId }, 'a SIP feed is not called: SIP=off');
      return;
    }
    let run: () => void;
    try {
      if (row.kind === 'SIP') {
        const feed = this.#sipFeed(row);
        run = () => this.#sip!.feeds.dial(feed);
      } else {
        const feed = this.#streamFeed(row);
        if (feed.kind === 'rtsp') rtspSourceSchema.parse(feed.secret);
        run = () => this.#streams.listen(feed);
      }
    } catch (err) {
      // the reason only: a source's error would quote it, credentials and all
      this.#log.error(
        {
          ingestId: row.id,
          meetingId: row.meetingId,
          reason: err instanceof z.ZodError ? 'its source is not valid' : 'its secret does not open',
        },
        'a stored feed is not valid: skipped',
      );
      return;
    }
    run();
  }

  #sipFeed(row: IngestRow): SipFeed {
    return { id: row.id, meetingId: row.meetingId, name: row.name, source: sipSourceSchema.parse(this.#cipher.decrypt(row.secretCipher!)) };
  }

  #streamFeed(row: IngestRow): StreamFeed {
    return {
      id: row.id,
      meetingId: row.meetingId,
      name: row.name,
      kind: row.kind.toLowerCase() as StreamFeed['kind'],
      port: row.port ?? 0,
      secret: this.#cipher.decrypt(row.secretCipher!),
    };
  }

  async #authorised(ingestId: string, bearer: string | undefined) {
    const found = await this.#prisma.meetingIngest.findUnique({ where: { id: ingestId } });
    const row = found && !found.removedAt ? found : undefined;
    // an unknown (or removed) feed answers as a wrong token does, after the same comparison: whether an id exists is not told
    const stored = row ? Buffer.from(row.tokenHash, 'hex') : unknownFeedHash;
    if (!bearer || !timingSafeEqual(hashOf(bearer), stored) || !row) throw new IngestError('UNAUTHORIZED', 'ingest.badToken');
    return row;
  }

  /** Where the feed's encoder sends (a pushed feed's secret only when it is added); an RTSP feed's source without its credentials. */
  #url(row: IngestRow, kind: IngestKind, address: HubAddress, secret?: string): string {
    if (kind === 'whip') return `${address.baseUrl}/api/ingests/${row.id}/whip`;
    if (kind === 'sip') return this.#cipher.decrypt(row.secretCipher!);
    if (kind === 'rtsp') {
      const source = new URL(this.#cipher.decrypt(row.secretCipher!));
      source.username = '';
      source.password = '';
      return source.href;
    }
    return pushUrl(kind, address.hostname, row.port!, secret);
  }

  /** `secret`: put into a pushed feed's address (only when the feed is added). */
  #dto(row: IngestRow, address: HubAddress, secret?: string): IngestDto {
    const kind = row.kind.toLowerCase() as IngestKind;
    return {
      id: row.id,
      code: feedCode(row.id),
      name: row.name,
      kind,
      url: this.#url(row, kind, address, secret),
      createdAt: row.createdAt.toISOString(),
      connected: this.#sessions.current(row.id) !== undefined,
    };
  }
}
