import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import type { MeetingRoom } from '../../media-server/index.js';
import type { BfcpServer, BfcpSession, CallEnd, OfferedFloorControl, RemoteMediaLine, SipCall, SipEndpoint } from '../../sip/index.js';
import type { LiveMeeting } from '../meetings/index.js';
import { CallContentFloor } from './CallContentFloor.js';
import type { FeedSession, FeedSessions } from './FeedSessions.js';
import { SipCallMedia, type ProgramSending } from './SipCallMedia.js';

export type PlacedCallEvents = {
  /** The far end rings (180 or 183). */
  ringing: [];
  /** The far end answered: its media are being taken. */
  answered: [];
  /** The far end answered: its picture and voice are the site's in the meeting, and it is sent the program. */
  joined: [media: RemoteMediaLine[]];
  /** The call is over, or never connected: what it held is let go. */
  ended: [end: CallEnd];
};

export interface PlacedCallDeps {
  endpoint: SipEndpoint;
  sessions: FeedSessions;
  program: ProgramSending;
  /** Where the calls' media transports listen: the node's own address, which the far end reaches. */
  listenInfo: types.TransportListenInfo;
  log: FastifyBaseLogger;
  /** The meeting's state changed (a hand raised on the keypad, the floor): its pages are told. */
  changed: (live: LiveMeeting) => void;
  /** The BFCP server of the calls' content floor: the calls offer a content line with it (none: no content). */
  floorControl?: BfcpServer;
}

/** The site a placed call is in the meeting: a feed's (the MCU), or a bridge point's (`code`). */
export interface PlacedSite {
  id: string;
  name: string;
  meetingId: string;
  code?: string;
}

/**
 * A call the hub places for a site of a live meeting: the Government's MCU as a feed (`SipFeeds`), a bridge point's
 * room system (`RoomSystemDialOut`). The site's peer joins the room, the call's media are opened and offered, and once
 * the far end answers, its picture and voice are the site's, it is sent the program and its keypad is its remote.
 * Its end (or `hangUp`) lets go of the media and the peer. Whom to call again, and when, is the caller's business.
 */
export class PlacedCall extends EventEmitter<PlacedCallEvents> {
  readonly session: FeedSession;
  readonly #name: string;
  readonly #media: SipCallMedia;
  readonly #call: SipCall;
  readonly #deps: PlacedCallDeps;
  /** Its content floor, offered with the content line: closed if the far end declines them. */
  readonly #floor: BfcpSession | undefined;
  #ended = false;

  private constructor(
    deps: PlacedCallDeps,
    site: { name: string; session: FeedSession },
    media: { media: SipCallMedia; floor: BfcpSession | undefined },
    call: SipCall,
    headCount?: (count: number) => void,
  ) {
    super();
    this.#deps = deps;
    const { session } = site;
    this.session = session;
    this.#name = site.name;
    this.#media = media.media;
    this.#floor = media.floor;
    this.#call = call;
    this.#media.onLost(() => call.hangUp());
    call.on('ringing', () => this.emit('ringing'));
    call.on('established', (answered, floorControl) => {
      this.emit('answered');
      this.#takeFloorControl(floorControl);
      this.#join(answered, headCount).catch((err: unknown) => {
        deps.log.error({ err, meetingId: session.meetingId, siteCode: session.code }, "a placed call's media could not be taken");
        call.hangUp();
      });
    });
    call.on('ended', (end) => {
      this.#release();
      this.emit('ended', end);
    });
  }

  /**
   * Calls `target` for `site` in the meeting's room. Undefined when `wanted` says no more meanwhile (the caller
   * stopped): what was made by then is let go.
   */
  static async place(
    deps: PlacedCallDeps,
    options: {
      site: PlacedSite;
      place: { live: LiveMeeting; room: MeetingRoom };
      target: string;
      wanted: () => boolean;
      /** A bridge point's room system answers the roll call on its keypad. */
      headCount?: (count: number) => void;
    },
  ): Promise<PlacedCall | undefined> {
    const session = await deps.sessions.open(options.site, options.place);
    if (!options.wanted()) {
      deps.sessions.end(session);
      return undefined;
    }
    const content = deps.floorControl !== undefined;
    const media = await SipCallMedia.open(options.place.room, session, deps.listenInfo, deps.log, [], content).catch((error: unknown) => {
      deps.sessions.end(session);
      throw error;
    });
    if (!options.wanted()) {
      media.stop();
      deps.sessions.end(session);
      return undefined;
    }
    // its content floor: the far end connects to the hub's BFCP server, from the address its answer gives
    const floor =
      deps.floorControl &&
      CallContentFloor.open(deps.floorControl, {
        live: options.place.live,
        code: session.code,
        media,
        changed: () => deps.changed(options.place.live),
        log: deps.log,
      });
    const call = deps.endpoint.call(options.target, media.offer(deps.endpoint.userAgent, floor?.line), 'Hop truc tuyen');
    return new PlacedCall(deps, { name: options.site.name, session }, { media, floor: floor?.session }, call, options.headCount);
  }

  /** Hangs up (or cancels): the site's peer leaves at once; `ended` follows. */
  hangUp(): void {
    this.#call.hangUp();
    this.#release();
  }

  /** The answer's media: the far end's picture and voice become the site's, and it is sent the meeting's program. */
  async #join(answered: RemoteMediaLine[], headCount?: (count: number) => void): Promise<void> {
    await this.#media.connect(answered);
    const session = this.session;
    if (this.#ended || session.ended) return;
    await this.#media.join(answered, {
      sessions: this.#deps.sessions,
      name: this.#name,
      code: session.code,
      program: this.#deps.program,
      changed: () => this.#deps.changed(session.live),
      headCount,
    });
    if (!this.#ended && !session.ended) this.emit('joined', answered);
  }

  /** The far end took the content line and BFCP: its connection is awaited from its address; else the floor closes. */
  #takeFloorControl(floorControl: OfferedFloorControl | undefined): void {
    if (floorControl) this.#floor?.expectFrom(floorControl.address);
    else this.#floor?.close();
  }

  #release(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#floor?.close();
    this.#media.stop();
    this.#deps.sessions.end(this.session);
  }
}
