import type { AgendaState } from '../../shared/agenda.js';
import type { SpeakingState } from '../../shared/speaking.js';
import type { VoteState } from '../../shared/votes.js';
import type { LiveAgenda } from './AgendaStore.js';
import type { DialOutState, FeedState, MeetingState, MeetingStatus, RollCallState, SitePresence } from '../../shared/meetings.js';
import { idleProgramState, type ProgramState } from '../../shared/program.js';
import type { MeetingRecord } from './MeetingStore.js';

/** What a waiting site said of its request to speak. */
export interface RequestDetails {
  topic: string | null;
  delegateName: string | null;
  requestedAt: string;
}

/** The speech under way: the site the chair called, since when (this node's clock), for how long. */
export interface LiveSpeech {
  code: string;
  topic: string | null;
  delegateName: string | null;
  limitSeconds: number;
  since: Date;
}

/** What the chair set that must outlive a hub restart (stored with the meeting). */
export interface MeetingControlState {
  mutedByChair: string[];
  handQueue: string[];
  floorCode: string | null;
  spotlightCode: string | null;
  /** The waiting sites' topics and delegates (a raised hand without them has none). */
  requestDetails?: Record<string, RequestDetails>;
}

/**
 * The control state of one meeting while anyone is in it or waiting for it: who is where, who the
 * chair muted, raised hands, floor, spotlight, lock and roll call. Rebuilt from the database when
 * a meeting is first touched; `state()` is what every participant is sent.
 */
export class LiveMeeting {
  readonly record: MeetingRecord;
  status: MeetingStatus;
  locked: boolean;
  spotlightCode: string | null = null;
  floorCode: string | null = null;
  /** Who holds the presentation floor: not kept over a restart (the screen went with the connection). */
  presenterCode: string | null = null;
  /** The meeting's votes, the open one last; what a secret vote's sites chose is only in `secretAnswers`. */
  votes: VoteState[];
  /** The agenda's items and the one under way, since when (this node's clock). */
  agenda: LiveAgenda;
  /** The speech under way (`SpeakingQueue`); loaded from the database with the meeting. */
  speech: LiveSpeech | null = null;
  /**
   * The open secret vote's answers, site by site, in this process only (never stored, never sent): a site that
   * changes its answer moves the totals by the difference. Dropped when the vote closes.
   */
  readonly secretAnswers = new Map<string, number[]>();
  rollCall: RollCallState | null;
  readonly mutedByChair = new Set<string>();
  /** Feeds from outside by ingest id: virtual sites, with no attendance or roll call. */
  readonly feeds = new Map<string, FeedState>();
  readonly removed = new Set<string>();
  /** Invited sites in the meeting through their room system's SIP call rather than a page. */
  readonly onCall = new Set<string>();
  /** Invited sites with a room system the hub can call (as paired when the meeting was loaded). */
  readonly pairedRoomSystems: Set<string>;
  /** The hub's calls to sites' room systems not (yet) connected, by site. */
  readonly dialOuts = new Map<string, DialOutState>();
  /** Kept by the program's service (hub/program). */
  program: ProgramState = idleProgramState();
  /**
   * Cluster mode: a site's presence set on this node (its connection is here), for the meeting's home to
   * hear of. Not called for what `applyState` copies from the home.
   */
  onPresence?: (code: string, presence: SitePresence | null) => void;
  /** Sites asking for the floor, in the chair's order: a raised hand is a request to speak. */
  readonly #handQueue: string[] = [];
  readonly #requestDetails = new Map<string, RequestDetails>();
  readonly #presence = new Map<string, SitePresence>();
  /** Sites seen in the meeting at some point: "left" rather than "invited" once gone. */
  readonly #attended: Set<string>;

  constructor(
    record: MeetingRecord,
    attended: Set<string>,
    rollCall: RollCallState | null,
    feeds: FeedState[] = [],
    pairedRoomSystems = new Set<string>(),
    votes: VoteState[] = [],
    agenda: LiveAgenda = { items: [], current: null },
  ) {
    this.votes = votes;
    this.agenda = agenda;
    this.record = record;
    this.pairedRoomSystems = pairedRoomSystems;
    this.status = record.status;
    this.locked = record.locked;
    this.#attended = attended;
    this.rollCall = rollCall;
    for (const feed of feeds) this.feeds.set(feed.id, feed);
    // the chair's mutes, hands, floor and spotlight as they were before a restart
    if (record.controlState) this.#restoreControls(record.controlState);
  }

  get id(): string {
    return this.record.id;
  }

  isInvited(code: string): boolean {
    return this.record.invitedIds.has(code);
  }

  /** An invited bridge point, or one of the meeting's feeds from outside (either may be given the floor). */
  isSite(code: string): boolean {
    return this.isInvited(code) || [...this.feeds.values()].some((feed) => feed.code === code);
  }

  /** A site in the meeting now: an invited bridge point connected, or a feed whose encoder sends. */
  isHere(code: string): boolean {
    if (this.isInvited(code)) return this.presence(code) === 'connected';
    return [...this.feeds.values()].some((feed) => feed.code === code && feed.presence === 'connected');
  }

  bridgePointId(code: string): number {
    const id = this.record.invitedIds.get(code);
    if (id === undefined) throw new Error(`${code} is not invited`);
    return id;
  }

  hasAttended(code: string): boolean {
    return this.#attended.has(code);
  }

  presence(code: string): SitePresence {
    return this.#presence.get(code) ?? (this.#attended.has(code) ? 'left' : 'invited');
  }

  setPresence(code: string, presence: SitePresence): void {
    this.#presence.set(code, presence);
    this.onPresence?.(code, presence);
    if (presence === 'connected') this.#attended.add(code);
    // a presenter that dropped or left has lost its screen producer with its transports: the floor is free
    if (presence !== 'connected' && this.presenterCode === code) this.presenterCode = null;
    // a site reconnecting keeps its place in the queue of raised hands
    if (presence !== 'connected' && presence !== 'reconnecting') this.raiseHand(code, false);
  }

  /** Forget a site's live presence (it left the lobby or the meeting). */
  clearPresence(code: string): void {
    this.#presence.delete(code);
    this.onPresence?.(code, null);
    this.raiseHand(code, false);
    if (this.presenterCode === code) this.presenterCode = null;
  }

  get connectedCodes(): string[] {
    return [...this.#presence].filter(([, p]) => p === 'connected').map(([code]) => code);
  }

  /** A site asks for the floor (at the end of the queue; one already waiting keeps its place), or no longer does. */
  raiseHand(code: string, raised: boolean, details?: Omit<RequestDetails, 'requestedAt'>): void {
    const index = this.#handQueue.indexOf(code);
    if (raised && index < 0) this.#handQueue.push(code);
    if (!raised && index >= 0) this.#handQueue.splice(index, 1);
    if (!raised) this.#requestDetails.delete(code);
    else if (details || !this.#requestDetails.has(code))
      this.#requestDetails.set(code, {
        topic: details?.topic ?? null,
        delegateName: details?.delegateName ?? null,
        requestedAt: this.#requestDetails.get(code)?.requestedAt ?? new Date().toISOString(),
      });
  }

  /** The chair's new order of the waiting sites: the same sites, each once; false when the queue is not that. */
  reorderHands(codes: string[]): boolean {
    const same =
      codes.length === this.#handQueue.length && new Set(codes).size === codes.length && codes.every((c) => this.#handQueue.includes(c));
    if (same) this.#handQueue.splice(0, this.#handQueue.length, ...codes);
    return same;
  }

  hasRaisedHand(code: string): boolean {
    return this.#handQueue.includes(code);
  }

  /** What a waiting site said of its request (none once it got the floor or withdrew). */
  requestDetailsOf(code: string): RequestDetails | undefined {
    return this.#requestDetails.get(code);
  }

  controls(): MeetingControlState {
    return {
      mutedByChair: [...this.mutedByChair].sort(),
      handQueue: [...this.#handQueue],
      floorCode: this.floorCode,
      spotlightCode: this.spotlightCode,
      requestDetails: Object.fromEntries(
        this.#handQueue.flatMap((code) => {
          const details = this.#requestDetails.get(code);
          return details ? [[code, details]] : [];
        }),
      ),
    };
  }

  /** After a restart: hands stay raised only for sites invited; the sites come back to find them. */
  #restoreControls(controls: MeetingControlState): void {
    const invited = (code: string | null) => (code !== null && this.isInvited(code) ? code : null);
    for (const code of controls.mutedByChair) if (invited(code)) this.mutedByChair.add(code);
    for (const code of controls.handQueue) {
      if (!invited(code)) continue;
      this.raiseHand(code, true);
      // its topic and delegate, and when it asked
      const details = controls.requestDetails?.[code];
      if (details) this.#requestDetails.set(code, details);
    }
    // the floor and the spotlight may be a feed's from outside
    const site = (code: string | null) => (code !== null && this.isSite(code) ? code : null);
    this.floorCode = site(controls.floorCode);
    this.spotlightCode = site(controls.spotlightCode);
  }

  /**
   * Cluster mode, on a node that is not the meeting's home: the home's state, as it broadcast it. The
   * presences of the sites connected here (`local`) stay this node's: the home hears of them from it.
   */
  applyState(state: MeetingState, local: Set<string>): void {
    this.status = state.status;
    this.locked = state.locked;
    this.spotlightCode = state.spotlightCode;
    this.floorCode = state.floorCode;
    this.presenterCode = state.presenterCode;
    this.rollCall = state.rollCall;
    this.votes = state.votes;
    const current = state.agenda.current;
    this.agenda = {
      items: state.agenda.items,
      current: current && { itemId: current.itemId, since: new Date(Date.now() - current.runningSeconds * 1000) },
    };
    this.program = state.program;
    this.#handQueue.splice(0, this.#handQueue.length, ...state.handQueue);
    this.#requestDetails.clear();
    for (const { code, ...details } of state.speaking.requests) this.#requestDetails.set(code, details);
    const speech = state.speaking.current;
    this.speech = speech && {
      code: speech.code,
      topic: speech.topic,
      delegateName: speech.delegateName,
      limitSeconds: speech.limitSeconds,
      since: new Date(Date.now() - speech.runningSeconds * 1000),
    };
    this.mutedByChair.clear();
    for (const site of state.sites) {
      if (site.mutedByChair) this.mutedByChair.add(site.code);
      if (site.presence === 'removed') this.removed.add(site.code);
      if (local.has(site.code)) continue;
      if (site.presence === 'connected') this.#attended.add(site.code);
      if (site.presence === 'invited') this.#presence.delete(site.code);
      else this.#presence.set(site.code, site.presence);
    }
    this.feeds.clear();
    for (const feed of state.feeds) this.feeds.set(feed.id, feed);
  }

  state(): MeetingState {
    return {
      meetingId: this.id,
      title: this.record.title,
      status: this.status,
      locked: this.locked,
      hostBridgePointCode: this.record.hostBridgePointCode,
      spotlightCode: this.spotlightCode,
      floorCode: this.floorCode,
      presenterCode: this.presenterCode,
      handQueue: [...this.#handQueue],
      sites: this.record.invited.map((site) => ({
        ...site,
        presence: this.presence(site.code),
        mutedByChair: this.mutedByChair.has(site.code),
        handRaised: this.#handQueue.includes(site.code),
        ...(this.onCall.has(site.code) ? { roomSystem: true } : {}),
        ...(this.pairedRoomSystems.has(site.code) ? { roomSystemPaired: true } : {}),
        ...(this.dialOuts.has(site.code) ? { dialOut: this.dialOuts.get(site.code) } : {}),
      })),
      feeds: [...this.feeds.values()].map((feed) => ({
        ...feed,
        mutedByChair: this.mutedByChair.has(feed.code),
        handRaised: this.#handQueue.includes(feed.code),
      })),
      rollCall: this.rollCall,
      votes: this.votes,
      agenda: this.#agendaState(),
      speaking: this.#speakingState(),
      program: this.program,
    };
  }

  #speakingState(): SpeakingState {
    const speech = this.speech;
    return {
      requests: this.#handQueue.map((code) => ({
        code,
        ...(this.#requestDetails.get(code) ?? { topic: null, delegateName: null, requestedAt: new Date().toISOString() }),
      })),
      current: speech && {
        code: speech.code,
        topic: speech.topic,
        delegateName: speech.delegateName,
        limitSeconds: speech.limitSeconds,
        runningSeconds: Math.max(0, Math.round((Date.now() - speech.since.getTime()) / 100) / 10),
      },
    };
  }

  #agendaState(): AgendaState {
    const current = this.agenda.current;
    return {
      items: this.agenda.items,
      current: current && {
        itemId: current.itemId,
        runningSeconds: Math.max(0, Math.round((Date.now() - current.since.getTime()) / 100) / 10),
      },
    };
  }
}
