import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { DialOutState } from '../../shared/meetings.js';
import type { CallEnd, SipEndpoint } from '../../sip/index.js';
import type { DestinationPolicy } from '../destinations/index.js';
import type { CallSeat, LiveMeeting } from '../meetings/index.js';
import { SignallingError } from '../realtime/index.js';
import type { FeedHost } from './FeedSessions.js';
import { IngestError } from './IngestError.js';
import { PlacedCall, type PlacedCallDeps } from './PlacedCall.js';
import { headCountAnswer, type SiteCalls } from './SipDialIn.js';
import { sipTargetUrl } from './sipTargets.js';
import { said } from '../../shared/messages/index.js';

/** Where the hub calls a site's room system: the account it registers with, and the address the admin gave. */
export interface RoomSystemTargets {
  forBridgePoint(code: string): Promise<{ username: string; address: string | null } | undefined>;
}

export interface DialOutOptions {
  /** The wait before a busy or unanswered room system is called again. */
  redialMs: number;
  /** Calls made at most before the hub gives up. */
  attempts: number;
  /** How long a room system may ring unanswered before the hub cancels (and tries again). */
  ringMs: number;
}

export const defaultDialOutOptions = { attempts: 3, ringMs: 45_000 };

/** A refusal that a room system busy or away gives: the hub calls again. */
const retriedStatuses = new Set([408, 480, 486, 487, 600]);

interface Dialling {
  meetingId: string;
  code: string;
  target: string;
  live: LiveMeeting;
  attempt: number;
  stopped: boolean;
  call?: PlacedCall;
  seat?: CallSeat;
  timer?: NodeJS.Timeout;
  /** The call was answered: its end is the room's hanging up, not a failure to retry. */
  answered: boolean;
}

/**
 * The chair's calls to the sites' room systems, as an MCU calls its endpoints: the hub calls where the room system
 * registered (else the address the admin gave, within SIP_ALLOWED_SUBNETS), sends it the program as to any call,
 * and once it answers it is its bridge point in the meeting (its seat, presence and attendance, as when it calls).
 * A busy or unanswered system is called again, `attempts` times at most; the console shows each call's state
 * (the site's `dialOut` in the meeting state) until it connects or the hub gives up.
 */
export class RoomSystemDialOut {
  readonly #endpoint: SipEndpoint;
  readonly #placing: PlacedCallDeps;
  readonly #host: FeedHost;
  readonly #sites: SiteCalls;
  readonly #roomSystems: RoomSystemTargets;
  readonly #targets: DestinationPolicy;
  readonly #log: FastifyBaseLogger;
  readonly #options: DialOutOptions;
  /** By meeting and site. */
  readonly #dialling = new Map<string, Dialling>();

  constructor(deps: {
    endpoint: SipEndpoint;
    /** How the calls are placed (PlacedCall). */
    placing: PlacedCallDeps;
    host: FeedHost;
    sites: SiteCalls;
    roomSystems: RoomSystemTargets;
    targets: DestinationPolicy;
    log: FastifyBaseLogger;
    options: DialOutOptions;
  }) {
    this.#endpoint = deps.endpoint;
    this.#placing = deps.placing;
    this.#host = deps.host;
    this.#sites = deps.sites;
    this.#roomSystems = deps.roomSystems;
    this.#targets = deps.targets;
    this.#log = deps.log;
    this.#options = deps.options;
  }

  /** Calls the site's room system (an IngestError, in Vietnamese, says why it cannot). */
  async dial(meetingId: string, code: string): Promise<void> {
    const key = keyOf(meetingId, code);
    if (this.#dialling.has(key)) throw new IngestError('CONFLICT', said('dialOut.calling', { code }));
    const live = await this.#host.meetings.get(meetingId);
    if (live.status !== 'LIVE') throw new IngestError('CONFLICT', 'dialOut.startFirst');
    if (!live.isInvited(code)) throw new IngestError('NOT_FOUND', said('meeting.notInvited', { code }));
    if (live.isHere(code)) throw new IngestError('CONFLICT', said('dialOut.alreadyHere', { code }));
    const roomSystem = await this.#roomSystems.forBridgePoint(code);
    const target = roomSystem && (this.#endpoint.registrar.get(roomSystem.username)?.contact ?? roomSystem.address);
    if (!target) throw new IngestError('NOT_FOUND', said(roomSystem ? 'dialOut.noAddress' : 'roomSystem.none', { code }));
    await this.#targets.check(sipTargetUrl(target));
    const dialling: Dialling = { meetingId, code, target, live, attempt: 0, stopped: false, answered: false };
    this.#dialling.set(key, dialling);
    this.#log.info({ meetingId, siteCode: code }, "the hub calls a site's room system");
    this.#attempt(dialling);
  }

  /** Calls every invited room system that is not in the meeting yet; the sites called. */
  async dialAll(meetingId: string): Promise<string[]> {
    const live = await this.#host.meetings.get(meetingId);
    const called: string[] = [];
    for (const code of live.pairedRoomSystems) {
      if (!live.isInvited(code) || live.isHere(code) || this.#dialling.has(keyOf(meetingId, code))) continue;
      try {
        await this.dial(meetingId, code);
        called.push(code);
      } catch (error) {
        // one that cannot be called (no address yet) leaves the others called
        if (!(error instanceof IngestError)) throw error;
        this.#setState({ code, live }, { state: 'failed', attempt: 0, attempts: this.#options.attempts, reason: error.message });
      }
    }
    return called;
  }

  /** Stops calling the site's room system, or hangs it up; false when the hub was not calling it. */
  stop(meetingId: string, code: string): boolean {
    const dialling = this.#dialling.get(keyOf(meetingId, code));
    if (!dialling) return false;
    this.#stop(dialling);
    this.#setState(dialling, undefined);
    return true;
  }

  /** The meeting ended: its calls end with it. */
  meetingEnded(meetingId: string): void {
    for (const dialling of [...this.#dialling.values()]) if (dialling.meetingId === meetingId) this.#stop(dialling);
  }

  close(): void {
    for (const dialling of [...this.#dialling.values()]) this.#stop(dialling);
  }

  #stop(dialling: Dialling): void {
    dialling.stopped = true;
    this.#dialling.delete(keyOf(dialling.meetingId, dialling.code));
    clearTimeout(dialling.timer);
    dialling.call?.hangUp();
    this.#release(dialling);
  }

  #attempt(dialling: Dialling): void {
    dialling.attempt++;
    this.#setState(dialling, { state: 'calling', attempt: dialling.attempt, attempts: this.#options.attempts });
    this.#call(dialling).catch((err: unknown) => {
      this.#log.error({ err, meetingId: dialling.meetingId, siteCode: dialling.code }, "a site's room system could not be called");
      this.#give(dialling, err instanceof SignallingError ? err.message : 'lỗi hệ thống khi gọi');
    });
  }

  async #call(dialling: Dialling): Promise<void> {
    const { meetingId, code } = dialling;
    // the site's seat, held while it is called: its page cannot take it meanwhile, nor another call
    const seat = await this.#sites.seatCall(meetingId, code, () => dialling.call?.hangUp());
    dialling.seat = seat;
    if (dialling.stopped) return this.#release(dialling);
    const place = await this.#host.feedRoom(meetingId);
    if (dialling.stopped) return this.#release(dialling);
    if (!place) return this.#give(dialling, 'cuộc họp không còn diễn ra');
    const call = await PlacedCall.place(this.#placing, {
      site: { id: randomBytes(4).toString('hex'), name: seat.name, meetingId, code },
      place,
      target: dialling.target,
      wanted: () => !dialling.stopped,
      headCount: headCountAnswer(seat, this.#log),
    });
    if (!call) return this.#release(dialling);
    dialling.call = call;
    let rangOut = false;
    dialling.timer = setTimeout(() => {
      rangOut = true;
      call.hangUp();
    }, this.#options.ringMs);
    call.on('ringing', () => this.#setState(dialling, { state: 'ringing', attempt: dialling.attempt, attempts: this.#options.attempts }));
    call.on('answered', () => {
      clearTimeout(dialling.timer);
      dialling.answered = true;
    });
    call.on('joined', (answered) => {
      this.#joined(
        dialling,
        answered.map((m) => m.codec.mimeType),
      ).catch((err: unknown) => {
        this.#log.error({ err, meetingId, siteCode: code }, "a room system's presence was not recorded");
        call.hangUp();
      });
    });
    call.on('ended', (end) => {
      clearTimeout(dialling.timer);
      this.#ended(dialling, rangOut ? { by: 'refused', status: 487, reason: 'no answer' } : end);
    });
  }

  /** Answered, its media in the meeting: the room system is its site there. */
  async #joined(dialling: Dialling, media: string[]): Promise<void> {
    const { seat } = dialling;
    if (dialling.stopped || !seat) return;
    await seat.here();
    this.#setState(dialling, undefined);
    this.#log.info(
      { meetingId: dialling.meetingId, siteCode: dialling.code, media },
      "a site's room system answered the hub's call: in the meeting",
    );
  }

  /** A call over: the room hung up (done), was busy or away (called again while attempts remain), or refused it. */
  #ended(dialling: Dialling, end: CallEnd): void {
    this.#release(dialling);
    if (dialling.stopped) return;
    if (dialling.answered) {
      this.#dialling.delete(keyOf(dialling.meetingId, dialling.code));
      this.#setState(dialling, undefined);
      return;
    }
    const retried = end.by === 'unreachable' || (end.by === 'refused' && retriedStatuses.has(end.status));
    const reason = endReason(end);
    this.#log.info(
      { meetingId: dialling.meetingId, siteCode: dialling.code, attempt: dialling.attempt, reason },
      "a room system's call did not connect",
    );
    if (!retried || dialling.attempt >= this.#options.attempts) {
      this.#give(dialling, reason);
      return;
    }
    this.#setState(dialling, { state: 'retrying', attempt: dialling.attempt, attempts: this.#options.attempts, reason });
    dialling.timer = setTimeout(() => {
      if (!dialling.stopped) this.#attempt(dialling);
    }, this.#options.redialMs);
  }

  /** The hub gives up calling: the console says why until the chair calls again. */
  #give(dialling: Dialling, reason: string): void {
    this.#release(dialling);
    this.#dialling.delete(keyOf(dialling.meetingId, dialling.code));
    this.#setState(dialling, { state: 'failed', attempt: dialling.attempt, attempts: this.#options.attempts, reason });
  }

  /** What the attempt held goes: its call (its media and peer with it), the site's seat. */
  #release(dialling: Dialling): void {
    dialling.call = undefined;
    const seat = dialling.seat;
    dialling.seat = undefined;
    seat?.leave().catch((err: unknown) => this.#log.error({ err, siteCode: dialling.code }, "a room system's leave was not recorded"));
  }

  #setState(dialling: Pick<Dialling, 'code' | 'live'>, state: DialOutState | undefined): void {
    if (state) dialling.live.dialOuts.set(dialling.code, state);
    else dialling.live.dialOuts.delete(dialling.code);
    this.#host.meetings.changed(dialling.live);
  }
}

const keyOf = (meetingId: string, code: string) => `${meetingId}/${code}`;

/** Why a call did not connect, for the console. */
function endReason(end: CallEnd): string {
  if (end.by === 'unreachable') return 'thiết bị không trả lời (không liên lạc được)';
  if (end.by === 'media') return `thiết bị không nhận được hình/tiếng: ${end.message}`;
  if (end.by === 'refused') {
    if (end.status === 486 || end.status === 600) return 'thiết bị đang bận';
    if (end.status === 487 || end.status === 480 || end.status === 408) return 'thiết bị không nhấc máy';
    if (end.status === 603) return 'thiết bị từ chối cuộc gọi';
    return `thiết bị từ chối cuộc gọi (${end.status} ${end.reason})`;
  }
  return end.by === 'remote' ? 'thiết bị đã gác máy' : 'hệ thống đã ngắt cuộc gọi';
}
