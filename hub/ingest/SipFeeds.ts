import type { FastifyBaseLogger } from 'fastify';
import type { CallEnd } from '../../sip/index.js';
import type { FeedHost } from './FeedSessions.js';
import { PlacedCall, type PlacedCallDeps } from './PlacedCall.js';

/** A feed the hub calls over SIP (the Government's MCU), as the dialler needs it. */
export interface SipFeed {
  id: string;
  meetingId: string;
  name: string;
  /** The MCU's SIP address (`sip:mcu@10.0.0.5`), checked against SIP_ALLOWED_SUBNETS when the feed was added. */
  source: string;
}

export interface SipFeedOptions {
  /** After a call that did not connect or ended, the next try (an MCU busy, or not yet in its meeting). */
  redialMs: number;
}

interface Dialling {
  feed: SipFeed;
  call?: PlacedCall;
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
  readonly #placing: PlacedCallDeps;
  readonly #host: FeedHost;
  readonly #log: FastifyBaseLogger;
  readonly #options: SipFeedOptions;
  /** By feed id. */
  readonly #dialling = new Map<string, Dialling>();

  constructor(deps: { placing: PlacedCallDeps; host: FeedHost; log: FastifyBaseLogger; options: SipFeedOptions }) {
    this.#placing = deps.placing;
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
    const call = await PlacedCall.place(this.#placing, { site: feed, place, target: feed.source, wanted: () => !dialling.stopped });
    if (!call) return;
    dialling.call = call;
    call.on('joined', (answered) =>
      this.#log.info(
        { ingestId: feed.id, meetingId: feed.meetingId, media: answered.map((m) => m.codec.mimeType) },
        'a SIP feed joined the meeting',
      ),
    );
    call.on('ended', (end) => {
      this.#log.info({ ingestId: feed.id, meetingId: feed.meetingId, reason: endReason(end) }, 'a SIP feed call ended');
      this.#endAttempt(dialling);
    });
  }

  /** The call is over (or never was): the feed's peer leaves, and the MCU is called again later while wanted. */
  #endAttempt(dialling: Dialling): void {
    dialling.call = undefined;
    if (dialling.stopped) return;
    clearTimeout(dialling.redial);
    dialling.redial = setTimeout(() => {
      if (!dialling.stopped) this.#attempt(dialling);
    }, this.#options.redialMs);
  }
}
