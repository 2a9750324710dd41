import type { FastifyBaseLogger } from 'fastify';
import type { BfcpFloorHandler, BfcpServer, BfcpSession, HubFloorControl } from '../../sip/index.js';
import type { LiveMeeting } from '../meetings/index.js';
import type { SipCallMedia } from './SipCallMedia.js';

/**
 * A SIP call's side of the meeting's presentation floor, as its room system asks over BFCP: the floor is the meeting's
 * one (`presenterCode`), given when nobody else presents (as to a page's `presentation:request`), and while the call
 * holds it what it sends on its content line is the site's screen. The chair handing the floor to another site stops
 * that screen (PresentationFloor closes it), which revokes the room system's grant. Another site's presentation is
 * sent on the call's content line (by the program's receivers), and the room system told the floor is held.
 */
export class CallContentFloor implements BfcpFloorHandler {
  readonly #live: LiveMeeting;
  readonly #code: string;
  readonly #media: SipCallMedia;
  readonly #changed: () => void;
  readonly #log: FastifyBaseLogger;
  /** The call's BFCP session, once opened (it is made with this handler). */
  session: BfcpSession | undefined;

  /**
   * A call's content floor on the hub's BFCP server: its session (taking connections from `remoteAddress`, or from the
   * address the far end's answer gives later) and what the call's session description says of it.
   */
  static open(server: BfcpServer, deps: CallContentFloorDeps, remoteAddress?: string): { session: BfcpSession; line: HubFloorControl } {
    const floor = new CallContentFloor(deps);
    const session = server.open({ remoteAddress, handler: floor });
    floor.session = session;
    return {
      session,
      line: { port: server.port, conferenceId: session.conferenceId, userId: session.userId, floorId: session.floorId },
    };
  }

  private constructor(deps: CallContentFloorDeps) {
    this.#live = deps.live;
    this.#code = deps.code;
    this.#media = deps.media;
    this.#changed = deps.changed;
    this.#log = deps.log;
    // a room system watching the floor (FloorQuery) is told when another site presents: it shows what it is sent
    deps.media.onOthersPresenting((presenting) => this.session?.heldElsewhere(presenting));
  }

  request(): { granted: true } | { granted: false; reason: string } {
    const live = this.#live;
    if (live.status !== 'LIVE') return { granted: false, reason: 'cuộc họp chưa diễn ra' };
    const holder = live.presenterCode;
    if (holder !== null && holder !== this.#code)
      return { granted: false, reason: `${siteName(live, holder)} đang trình bày: chờ kết thúc, hoặc xin chủ tọa` };
    if (holder === null) {
      live.presenterCode = this.#code;
      this.#changed();
    }
    this.#media
      .presentContent(() => this.#lost())
      .catch((err: unknown) => {
        this.#log.error({ err, meetingId: live.id, siteCode: this.#code }, "a SIP call's content could not be forwarded");
        this.#lost();
      });
    return { granted: true };
  }

  release(): void {
    this.#media.stopContent();
    this.#free();
  }

  /** Its screen stopped without a release: the chair gave the floor elsewhere, or no content came. */
  #lost(): void {
    this.session?.revoke();
    this.#free();
  }

  #free(): void {
    if (this.#live.presenterCode !== this.#code) return;
    this.#live.presenterCode = null;
    this.#changed();
  }
}

interface CallContentFloorDeps {
  live: LiveMeeting;
  code: string;
  media: SipCallMedia;
  changed: () => void;
  log: FastifyBaseLogger;
}

/** A site's name as the meeting shows it: an invited bridge point's, or a feed's. */
function siteName(live: LiveMeeting, code: string): string {
  return (
    live.record.invited.find((site) => site.code === code)?.name ??
    [...live.feeds.values()].find((feed) => feed.code === code)?.name ??
    code
  );
}
