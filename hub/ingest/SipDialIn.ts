import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import type { MeetingRoom } from '../../media-server/index.js';
import { playPrompt, spokenPrompt } from '../../program/index.js';
import { feedCode, type FeedState } from '../../shared/meetings.js';
import {
  offeredMedia,
  sessionAnswer,
  SessionDescriptionError,
  takenMedia,
  type HubFloorControl,
  type BfcpServer,
  type BfcpSession,
  type OfferedLine,
  type RemoteMediaLine,
  type SipIncomingCall,
} from '../../sip/index.js';
import type { CallSeat, LiveMeeting } from '../meetings/index.js';
import { SignallingError } from '../realtime/index.js';
import { pinMatches, type DialInCodes } from './DialInCodes.js';
import type { FeedHost, FeedSession, FeedSessions } from './FeedSessions.js';
import { CallContentFloor } from './CallContentFloor.js';
import { callRouterCodecs, mixCodecOf, SipCallMedia, type ProgramSending } from './SipCallMedia.js';

/** `sip:<conference ID>@hub`, or with the PIN after `*` (or `#`): `sip:1234567*654321@hub`. */
const dialledUser = /^(\d{7})(?:[*#](\d{4,8}))?$/;
/** Wrong PINs keyed before the hub hangs up. */
const pinAttempts = 3;
/** How long the hub waits for the keys after its question (then asks again, as a wrong PIN). */
const keyingMs = 20_000;

/** What the caller hears, said by espeak-ng's Vietnamese voice. */
const prompts = {
  askPin: 'Xin chào. Đây là hệ thống họp trực tuyến của tỉnh. Xin mời nhập mã PIN của cuộc họp, rồi nhấn phím thăng.',
  wrongPin: 'Mã PIN không đúng. Xin mời nhập lại, rồi nhấn phím thăng.',
  goodbye: 'Mã PIN không đúng. Xin tạm biệt.',
};

export interface SipDialInOptions {
  /** Where the calls' media transports listen: the node's own address, which the callers reach. */
  listenInfo: types.TransportListenInfo;
  /** Where the spoken announcements are kept once made. */
  promptDir: string;
  userAgent: string;
}

/** Who a room system's account is: its bridge point (hub/units' RoomSystemDirectory). */
export interface RoomSystemAccounts {
  byUsername(username: string): Promise<{ bridgePointCode: string; allowPlainRtp: boolean } | undefined>;
}

/** What the meetings side offers a room system calling as its bridge point. */
export interface SiteCalls {
  /** The site's seat in the meeting, taken by its call (a SignallingError says why not). */
  seatCall(meetingId: string, siteCode: string, hangUp: () => void): Promise<CallSeat>;
  /** The meeting a site's room system joins when it calls the hub without a conference ID: its live one, else the next soon. */
  currentMeetingOf(siteCode: string): Promise<string | undefined>;
}

/** A call in the meeting (or keying its PIN): its site, and what ends it. */
interface DialledIn {
  call: SipIncomingCall;
  meetingId: string;
  /** A guest's site (a feed of the meeting's). */
  guest?: FeedState;
  /** A bridge point's seat, taken by its room system. */
  seat?: CallSeat;
  live?: LiveMeeting;
  session?: FeedSession;
  media?: SipCallMedia;
  /** Its content floor (BFCP), when it took a content line. */
  floor?: BfcpSession;
}

/**
 * SIP dial-in: a room system or phone calls `sip:<conference ID>@hub` with the meeting's PIN, in the URI or keyed
 * after the hub asks for it, and becomes a site of the meeting for as long as the call lasts (a guest, shown by the
 * name it gives), under the rules a browser site meets: it waits (ringing) until the meeting starts, and a meeting
 * that is over or locked refuses it. Its media are a feed's: forwarded as sent, and it is sent the program.
 */
export class SipDialIn {
  readonly #codes: DialInCodes;
  readonly #sessions: FeedSessions;
  readonly #host: FeedHost;
  readonly #sites: SiteCalls;
  readonly #roomSystems: RoomSystemAccounts;
  readonly #failedFrom: (sourceAddress: string) => void;
  readonly #program: ProgramSending;
  readonly #floorControl: BfcpServer | undefined;
  readonly #log: FastifyBaseLogger;
  readonly #options: SipDialInOptions;
  readonly #calls = new Set<DialledIn>();
  /** Calls ringing until their meeting starts, by meeting. */
  readonly #waiting = new Map<string, Set<() => void>>();

  constructor(deps: {
    codes: DialInCodes;
    sessions: FeedSessions;
    host: FeedHost;
    sites: SiteCalls;
    roomSystems: RoomSystemAccounts;
    /** A wrong PIN, counted against its source with wrong passwords (the SIP side's lockout). */
    failedFrom: (sourceAddress: string) => void;
    program: ProgramSending;
    /** The BFCP server of the calls' content floor (none: content lines are declined). */
    floorControl?: BfcpServer;
    log: FastifyBaseLogger;
    options: SipDialInOptions;
  }) {
    this.#codes = deps.codes;
    this.#sessions = deps.sessions;
    this.#host = deps.host;
    this.#sites = deps.sites;
    this.#roomSystems = deps.roomSystems;
    this.#failedFrom = deps.failedFrom;
    this.#program = deps.program;
    this.#floorControl = deps.floorControl;
    this.#log = deps.log;
    this.#options = deps.options;
  }

  /** A call to the hub: answered, kept ringing or refused. */
  take(call: SipIncomingCall): void {
    const dialled: DialledIn = { call, meetingId: '' };
    this.#calls.add(dialled);
    call.once('ended', (end) => {
      this.#calls.delete(dialled);
      this.#leave(dialled);
      if (dialled.guest) this.#log.info({ meetingId: dialled.meetingId, caller: dialled.guest.name, end: end.by }, 'a SIP caller left');
      if (dialled.seat) this.#log.info({ meetingId: dialled.meetingId, siteCode: dialled.seat.code, end: end.by }, 'a room system hung up');
    });
    this.#take(dialled).catch((err: unknown) => {
      this.#log.error({ err, meetingId: dialled.meetingId }, 'a SIP call in could not be taken');
      call.hangUp();
    });
  }

  /** A meeting started: the calls ringing for it are answered. */
  meetingStarted(meetingId: string): void {
    for (const wake of this.#waiting.get(meetingId) ?? []) wake();
    this.#waiting.delete(meetingId);
  }

  /** The chair hangs up a caller (by its site's id); false when no such call is in the meeting. */
  hangUp(meetingId: string, callerId: string): boolean {
    for (const dialled of this.#calls)
      if (dialled.meetingId === meetingId && dialled.guest?.id === callerId) {
        dialled.call.hangUp();
        return true;
      }
    return false;
  }

  /** The meeting ended: its callers are hung up. */
  meetingEnded(meetingId: string): void {
    for (const dialled of this.#calls) if (dialled.meetingId === meetingId) dialled.call.hangUp();
  }

  close(): void {
    for (const dialled of this.#calls) dialled.call.hangUp();
  }

  async #take(dialled: DialledIn): Promise<void> {
    const { call } = dialled;
    const account = call.info.account;
    const roomSystem = account === undefined ? undefined : await this.#roomSystems.byUsername(account);
    const dialledMatch = dialledUser.exec(call.info.user);
    const meeting = dialledMatch ? await this.#codes.find(dialledMatch[1]!) : undefined;
    // a room system may call the hub itself (any user part): it joins its site's meeting of the moment
    const meetingId =
      meeting?.meetingId ?? (roomSystem && !dialledMatch ? await this.#sites.currentMeetingOf(roomSystem.bridgePointCode) : undefined);
    if (!meetingId) {
      this.#log.info({ from: call.info.sourceAddress, account }, 'a SIP call in named no meeting');
      call.refuse(404, 'Not Found', warning(roomSystem ? 'điểm cầu không có cuộc họp nào lúc này' : 'không có cuộc họp nào mang mã này'));
      return;
    }
    dialled.meetingId = meetingId;
    // a room system proved who it is: no PIN is asked of it; a guest named the meeting by its conference ID (the
    // meeting of the moment is a room system's only), and gives its PIN
    const pin = roomSystem ? undefined : meeting?.pin;
    const uriPin = pin === undefined ? undefined : dialledMatch?.[2];
    if (pin !== undefined && uriPin !== undefined && !pinMatches(uriPin, pin)) {
      this.#log.warn({ meetingId, from: call.info.sourceAddress }, 'a SIP call in gave a wrong PIN');
      this.#failedFrom(call.info.sourceAddress);
      call.refuse(403, 'Forbidden', warning('mã PIN không đúng'));
      return;
    }
    let offered: OfferedLine[];
    try {
      // plain RTP only from a room system the admin allowed it
      offered = offeredMedia(call.offer, { plainRtp: roomSystem?.allowPlainRtp, content: this.#floorControl !== undefined });
    } catch (error) {
      if (!(error instanceof SessionDescriptionError)) throw error;
      this.#log.info(
        { meetingId, from: call.info.sourceAddress, reason: error.message },
        'a SIP call in offered media the hub cannot take',
      );
      call.refuse(488, 'Not Acceptable Here', warning(error.message));
      return;
    }
    const taken = takenMedia(offered);
    if (roomSystem && !(await this.#seat(dialled, roomSystem.bridgePointCode))) return;
    const live = await this.#admissible(dialled);
    if (!live) return;
    // the lobby: a meeting not started keeps the call ringing until it starts
    if (live.status !== 'LIVE') {
      call.ringing();
      await new Promise<void>((resolve) => {
        const waiting = this.#waiting.get(meetingId) ?? new Set();
        this.#waiting.set(meetingId, waiting);
        waiting.add(resolve);
        call.once('ended', () => {
          waiting.delete(resolve);
          resolve();
        });
      });
      if (call.state !== 'offered' || !(await this.#admissible(dialled))) return;
    }
    const place = await this.#host.feedRoom(meetingId);
    if (!place || call.state !== 'offered') {
      call.refuse(480, 'Temporarily Unavailable', warning('cuộc họp chưa diễn ra'));
      return;
    }
    const id = randomBytes(4).toString('hex');
    const seat = dialled.seat;
    const site = seat ? { code: seat.code, name: seat.name } : { code: feedCode(id), name: guestName(call.info.displayName) };
    if (!seat) {
      const guest: FeedState = { id, code: site.code, name: site.name, kind: 'sip', presence: 'waiting', dialledIn: true };
      dialled.guest = guest;
      dialled.live = place.live;
      place.live.feeds.set(id, guest);
      this.#host.meetings.changed(place.live);
    }
    // the call's router is numbered as its main lines are (a content line's numbers need not be taken by a router)
    const main = taken.filter((line) => !line.content);
    dialled.session = await this.#sessions.open({ id, name: site.name, meetingId, code: site.code }, place, callRouterCodecs(main));
    const plainRtp = taken.filter((line) => !line.srtp).map((line) => line.kind);
    const content = taken.some((line) => line.content);
    dialled.media = await SipCallMedia.open(place.room, dialled.session, this.#options.listenInfo, this.#log, plainRtp, content);
    const floorControl = content ? this.#openFloor(dialled, place.live, site.code) : undefined;
    dialled.media.onLost(() => call.hangUp());
    if (call.state !== 'offered') {
      // the caller gave up meanwhile: what was made after its end goes too
      this.#leave(dialled);
      return;
    }
    call.answer(
      sessionAnswer({
        address: dialled.media.address,
        sessionId: String(randomInt(1, 2 ** 47)),
        userAgent: this.#options.userAgent,
        offered,
        lines: dialled.media.localLines,
        floorControl,
      }),
    );
    if (!(await confirmed(call))) return;
    await dialled.media.connect(taken);
    if (pin !== undefined && uriPin === undefined && !(await this.#askPin(dialled, place.room, taken, pin))) {
      call.hangUp();
      return;
    }
    if (!isUp(call)) return;
    await dialled.media.join(taken, {
      sessions: this.#sessions,
      name: site.name,
      code: site.code,
      program: this.#program,
      changed: () => this.#host.meetings.changed(place.live),
      headCount: seat && headCountAnswer(seat, this.#log),
    });
    if (seat) {
      await seat.here();
      this.#log.info(
        { meetingId, siteCode: seat.code, from: call.info.sourceAddress, media: taken.map((m) => m.codec.mimeType) },
        'a room system joined the meeting as its bridge point',
      );
    } else
      this.#log.info(
        { meetingId, caller: site.name, from: call.info.sourceAddress, media: taken.map((m) => m.codec.mimeType) },
        'a SIP caller joined the meeting',
      );
  }

  /**
   * The room system takes its bridge point's seat in the meeting, or is refused as a page of the site would be, in
   * SIP's terms: not invited, removed or locked out (403), the meeting over (404), the site in already (486).
   */
  async #seat(dialled: DialledIn, siteCode: string): Promise<boolean> {
    const { call } = dialled;
    try {
      dialled.seat = await this.#sites.seatCall(dialled.meetingId, siteCode, () => call.hangUp());
    } catch (error) {
      if (!(error instanceof SignallingError)) throw error;
      const [status, reason, text] = seatRefusals[error.ackCode ?? ''] ?? [403, 'Forbidden', 'điểm cầu không vào được cuộc họp'];
      this.#log.info({ meetingId: dialled.meetingId, siteCode, reason: error.ackCode }, "a room system's call was refused");
      call.refuse(status, reason, warning(text));
      return false;
    }
    // the call ended before it took the seat's place in `take`'s end handler
    if (call.state === 'ended') {
      await dialled.seat.leave();
      return false;
    }
    return true;
  }

  /** The meeting, if it takes sites (refused, in the caller's terms, when it is over or locked). */
  async #admissible(dialled: DialledIn): Promise<LiveMeeting | undefined> {
    const live = await this.#host.meetings.get(dialled.meetingId);
    if (live.status === 'ENDED' || live.status === 'CANCELLED') {
      dialled.call.refuse(404, 'Not Found', warning('cuộc họp đã kết thúc'));
      return undefined;
    }
    // a bridge point's seat was let in under the lock's rule already (a site that attended may come back)
    if (live.locked && !dialled.seat) {
      dialled.call.refuse(403, 'Forbidden', warning('cuộc họp đã khóa, không nhận thêm điểm cầu'));
      return undefined;
    }
    return live;
  }

  /**
   * The PIN keyed after the hub asks for it (RFC 4733 keys, ended by #): asked again after a wrong one or none,
   * up to `pinAttempts`. Nobody in the meeting hears the caller meanwhile, nor it them.
   */
  async #askPin(dialled: DialledIn, room: MeetingRoom, taken: RemoteMediaLine[], pin: string): Promise<boolean> {
    const { call, session, media } = dialled;
    const audio = taken.find((line) => line.kind === 'audio');
    if (!session || !media || audio?.dtmfPayloadType === undefined || audio.direction !== 'sendrecv') {
      this.#log.info({ meetingId: dialled.meetingId, from: call.info.sourceAddress }, 'a SIP caller without a PIN cannot key one');
      return false;
    }
    const codec = mixCodecOf(audio.codec.mimeType);
    const keyed = new KeyedEntry();
    const onKey = (key: string) => keyed.push(key);
    media.keypad.on('key', onKey);
    const say = async (text: string) => {
      const stop = new AbortController();
      // a key pressed stops the question: the caller knows it
      keyed.onFirstKey(() => stop.abort());
      const file = await spokenPrompt(this.#options.promptDir, text);
      // each said as a stream of its own: a far end's jitter buffer would take a second one in the same stream,
      // with its sequence numbers and timestamps starting anew, for late packets and drop it
      const announcement = await room.announceToPeer(session.peerId, media.transports.audio.id, codec);
      try {
        await playPrompt(file, codec, announcement, stop.signal);
      } finally {
        announcement.close();
      }
    };
    try {
      for (let attempt = 1; attempt <= pinAttempts && isUp(call); attempt++) {
        await say(attempt === 1 ? prompts.askPin : prompts.wrongPin);
        const given = await keyed.entry(keyingMs, () => !isUp(call));
        if (given !== undefined && pinMatches(given, pin)) return true;
        this.#log.warn({ meetingId: dialled.meetingId, from: call.info.sourceAddress, attempt }, 'a SIP caller keyed a wrong PIN');
        this.#failedFrom(call.info.sourceAddress);
      }
      if (isUp(call)) await say(prompts.goodbye);
      return false;
    } finally {
      media.keypad.off('key', onKey);
    }
  }

  /** The caller is gone: its site leaves the meeting, and the program is no longer sent to it (again: nothing more). */
  /**
   * The call's content floor: a BFCP session taking its room system's connection (from the call's address only), its
   * requests decided by the meeting's presentation floor. Returns what the answer tells the caller of it.
   */
  #openFloor(dialled: DialledIn, live: LiveMeeting, code: string): HubFloorControl | undefined {
    const server = this.#floorControl;
    if (!server || !dialled.media) return undefined;
    const { session, line } = CallContentFloor.open(
      server,
      { live, code, media: dialled.media, changed: () => this.#host.meetings.changed(live), log: this.#log },
      dialled.call.info.sourceAddress,
    );
    dialled.floor = session;
    return line;
  }

  #leave(dialled: DialledIn): void {
    dialled.floor?.close();
    dialled.media?.stop();
    if (dialled.session) this.#sessions.end(dialled.session);
    if (dialled.guest && dialled.live) {
      dialled.live.feeds.delete(dialled.guest.id);
      this.#host.meetings.changed(dialled.live);
    }
    dialled.seat
      ?.leave()
      .catch((err: unknown) =>
        this.#log.error({ err, meetingId: dialled.meetingId, siteCode: dialled.seat?.code }, 'a room system’s leave was not recorded'),
      );
  }
}

/** A room system's head count keyed on its remote, given as its site's answer to the roll call. */
export function headCountAnswer(seat: CallSeat, log: FastifyBaseLogger): (count: number) => void {
  return (count) => {
    seat
      .answerRollCall(count)
      .then((answered) => {
        if (!answered)
          log.info({ meetingId: seat.live.id, siteCode: seat.code }, 'a room system keyed a head count with no roll call open');
      })
      .catch((err: unknown) =>
        log.error({ err, meetingId: seat.live.id, siteCode: seat.code }, "a room system's head count was not recorded"),
      );
  };
}

/** The keys a caller presses, gathered into entries ended by #. */
class KeyedEntry {
  #keys = '';
  #onKey: Array<() => void> = [];

  push(key: string): void {
    this.#keys += key;
    const listeners = this.#onKey;
    this.#onKey = [];
    for (const listener of listeners) listener();
  }

  onFirstKey(listener: () => void): void {
    if (this.#keys.length > 0) listener();
    else this.#onKey.push(listener);
  }

  /** The next entry (the keys before #), or undefined when none ends within `waitMs` or `gone()` says so. */
  async entry(waitMs: number, gone: () => boolean): Promise<string | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const end = this.#keys.indexOf('#');
      if (end >= 0) {
        const entry = this.#keys.slice(0, end);
        this.#keys = this.#keys.slice(end + 1);
        return entry;
      }
      if (gone() || Date.now() >= deadline) {
        this.#keys = '';
        return undefined;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now())));
        this.#onKey.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** The call is answered and acknowledged, and not over. */
const isUp = (call: SipIncomingCall) => call.state === 'confirmed';

/** The caller's ACK came (true), or the call ended first. */
function confirmed(call: SipIncomingCall): Promise<boolean> {
  if (call.state === 'confirmed') return Promise.resolve(true);
  return new Promise((resolve) => {
    call.once('confirmed', () => resolve(true));
    call.once('ended', () => resolve(false));
  });
}

/** The name a caller's site is shown by: the display name it gives, else "Khách SIP". */
function guestName(displayName: string): string {
  const name = displayName
    .replace(/[\p{Cc}<>]/gu, '')
    .trim()
    .slice(0, 60);
  return name ? `${name} (SIP)` : 'Khách SIP';
}

/** A room system refused its seat, by why: the SIP answer and what its screen says. */
const seatRefusals: Record<string, [number, string, string]> = {
  NOT_INVITED: [403, 'Forbidden', 'điểm cầu không được mời vào cuộc họp này'],
  REMOVED: [403, 'Forbidden', 'chủ tọa đã mời điểm cầu ra khỏi cuộc họp'],
  MEETING_LOCKED: [403, 'Forbidden', 'cuộc họp đã khóa, không nhận thêm điểm cầu'],
  MEETING_ENDED: [404, 'Not Found', 'cuộc họp đã kết thúc'],
  ALREADY_JOINED: [486, 'Busy Here', 'điểm cầu đã tham dự bằng trình duyệt hoặc một cuộc gọi khác'],
  NOT_JOINED: [503, 'Service Unavailable', 'hệ thống đang khởi động lại'],
};

/** A refusal's reason, for the caller's screen (RFC 3261's Warning: 399 is a miscellaneous warning). */
function warning(text: string): Record<string, string> {
  return { warning: `399 hub "${text}"` };
}
