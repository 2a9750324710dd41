import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import type { CallEnd, RemoteMediaLine, SipCall, SipEndpoint } from '../../sip/index.js';
import { feedCode } from '../../shared/meetings.js';
import type { FeedHost, FeedSession, FeedSessions } from './FeedSessions.js';
import { SipCallMedia, type ProgramSending } from './SipCallMedia.js';

/** A feed the hub calls over SIP (the Government's MCU), as the dialler needs it. */
export interface SipFeed {
  id: string;
  meetingId: string;
  name: string;
  /** The MCU's SIP address (`sip:mcu@10.0.0.5`), checked against SIP_ALLOWED_SUBNETS when the feed was added. */
  source: string;
}

export interface SipFeedOptions {
  /** Where the calls' media transports listen: the node's own address, which the far end reaches. */
  listenInfo: types.TransportListenInfo;
  /** After a call that did not connect or ended, the next try (an MCU busy, or not yet in its meeting). */
  redialMs: number;
}

interface Dialling {
  feed: SipFeed;
  call?: SipCall;
  session?: FeedSession;
  /** The call's media, once its transports are open. */
  media?: SipCallMedia;
  redial?: NodeJS.Timeout;
  stopped: boolean;
}

/** What the console says of a call's end, in the log. */
function endReason(end: CallEnd): string {
  if (end.by === 'refused') return `refused: ${end.status} ${end.reason}`;
  if (end.by === 'media') return `media not taken: ${end.message}`;
  return end.by === 'unreachable' ? 'no answer' : `hung up by the ${end.by === 'remote' ? 'far end' : 'hub'}`;
}

/**
 * SIP feeds: while its meeting is live, the hub calls the feed's MCU and keeps calling it until it answers,
 * and again after the call ends. The call's media come in on two SRTP PlainTransports of the feed's peer (SDES
 * keys in the session descriptions), and the MCU's picture and voice are the feed's camera and microphone, as
 * any feed's: forwarded as sent, H.264 or VP8 and Opus, no transcoder.
 */
export class SipFeeds {
  readonly #endpoint: SipEndpoint;
  readonly #program: ProgramSending;
  readonly #sessions: FeedSessions;
  readonly #host: FeedHost;
  readonly #log: FastifyBaseLogger;
  readonly #options: SipFeedOptions;
  /** By feed id. */
  readonly #dialling = new Map<string, Dialling>();

  constructor(deps: {
    endpoint: SipEndpoint;
    program: ProgramSending;
    sessions: FeedSessions;
    host: FeedHost;
    log: FastifyBaseLogger;
    options: SipFeedOptions;
  }) {
    this.#endpoint = deps.endpoint;
    this.#program = deps.program;
    this.#sessions = deps.sessions;
    this.#host = deps.host;
    this.#log = deps.log;
    this.#options = deps.options;
  }

  /** Calls the feed's MCU (unless already calling or in a call with it). */
  dial(feed: SipFeed): void {
    if (this.#dialling.has(feed.id)) return;
    const dialling: Dialling = { feed, stopped: false };
    this.#dialling.set(feed.id, dialling);
    this.#attempt(dialling);
  }

  /** Hangs up (or stops calling) the feed's MCU. */
  stop(feedId: string): void {
    const dialling = this.#dialling.get(feedId);
    if (!dialling) return;
    this.#dialling.delete(feedId);
    dialling.stopped = true;
    clearTimeout(dialling.redial);
    dialling.call?.hangUp();
    if (dialling.session) this.#sessions.end(dialling.session);
  }

  close(): void {
    for (const feedId of [...this.#dialling.keys()]) this.stop(feedId);
  }

  #attempt(dialling: Dialling): void {
    this.#call(dialling).catch((err: unknown) => {
      this.#log.error({ err, ingestId: dialling.feed.id, meetingId: dialling.feed.meetingId }, 'a SIP feed could not be called');
      this.#endAttempt(dialling);
    });
  }

  async #call(dialling: Dialling): Promise<void> {
    const { feed } = dialling;
    const place = await this.#host.feedRoom(feed.meetingId);
    // the meeting is not live (any more): its start dials again
    if (!place || dialling.stopped) {
      this.stop(feed.id);
      return;
    }
    const session = await this.#sessions.open(feed, place);
    // stopped while the peer joined: stop() found no session to end
    if (dialling.stopped) {
      this.#sessions.end(session);
      return;
    }
    dialling.session = session;
    const media = await SipCallMedia.open(place.room, session, this.#options.listenInfo, this.#log);
    dialling.media = media;
    media.onLost(() => dialling.call?.hangUp());
    const offer = media.offer(this.#endpoint.userAgent);
    if (dialling.stopped) return;
    const call = this.#endpoint.call(feed.source, offer, 'Hop truc tuyen');
    dialling.call = call;
    call.on('established', (answered) => {
      this.#connect(dialling, media, answered).catch((err: unknown) => {
        this.#log.error({ err, ingestId: feed.id }, "a SIP feed's media could not be taken");
        call.hangUp();
      });
    });
    call.on('ended', (end) => {
      this.#log.info({ ingestId: feed.id, meetingId: feed.meetingId, reason: endReason(end) }, 'a SIP feed call ended');
      this.#endAttempt(dialling);
    });
  }

  /** The answer's media: the MCU's picture and voice become the feed's site, and it is sent the meeting's program. */
  async #connect(dialling: Dialling, media: SipCallMedia, answered: RemoteMediaLine[]): Promise<void> {
    await media.connect(answered);
    if (dialling.stopped || !dialling.session || dialling.session.ended) return;
    this.#log.info(
      { ingestId: dialling.feed.id, meetingId: dialling.feed.meetingId, media: answered.map((m) => m.codec.mimeType) },
      'a SIP feed joined the meeting',
    );
    const session = dialling.session;
    await media.join(answered, {
      sessions: this.#sessions,
      name: dialling.feed.name,
      code: feedCode(dialling.feed.id),
      program: this.#program,
      changed: () => this.#host.meetings.changed(session.live),
    });
  }

  /** The call is over (or never was): the feed's peer leaves, and the MCU is called again later while wanted. */
  #endAttempt(dialling: Dialling): void {
    dialling.media?.stop();
    dialling.media = undefined;
    if (dialling.session) this.#sessions.end(dialling.session);
    dialling.session = undefined;
    dialling.call = undefined;
    if (dialling.stopped) return;
    clearTimeout(dialling.redial);
    dialling.redial = setTimeout(() => {
      if (!dialling.stopped) this.#attempt(dialling);
    }, this.#options.redialMs);
  }
}
