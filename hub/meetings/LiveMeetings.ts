import type { FastifyBaseLogger } from 'fastify';
import { SignallingError } from '../realtime/index.js';
import { LiveMeeting } from './LiveMeeting.js';
import type { LiveMeetingRegistry } from './LiveMeetingsTypes.js';
import { MeetingStateBroadcasts } from './MeetingStateBroadcasts.js';
import type { MeetingStore } from './MeetingStore.js';
import { said } from '../../shared/messages/index.js';

export interface LiveMeetingsDeps {
  store: MeetingStore;
  log: FastifyBaseLogger;
  /**
   * Sends a meeting's state to its pages; `sent` is called once it went (with several nodes only the
   * meeting's home speaks for it, and only the home writes its control state).
   */
  publish(live: LiveMeeting, sent: () => void): void;
  /** A meeting was just loaded (the cluster follows its presences). */
  onLoaded?(live: LiveMeeting): void;
}

/**
 * The meetings this node holds: each loaded from the database once, on first touch; their state pushed
 * to everyone when it changes (`MeetingStateBroadcasts` paces the pushes); and the chair's controls
 * written when they changed, so a restart finds the mutes, hands, floor and spotlight where they were.
 */
export class LiveMeetings implements LiveMeetingRegistry {
  readonly #deps: LiveMeetingsDeps;
  readonly #live = new Map<string, Promise<LiveMeeting>>();
  readonly #broadcasts: MeetingStateBroadcasts;
  /** meetingId → the chair's control state last written, so an unchanged one is not written again. */
  readonly #savedControls = new Map<string, string>();
  readonly #pendingSaves = new Set<Promise<void>>();

  constructor(deps: LiveMeetingsDeps) {
    this.#deps = deps;
    this.#broadcasts = new MeetingStateBroadcasts((live) => deps.publish(live, () => this.#saveControls(live)));
  }

  get(meetingId: string): Promise<LiveMeeting> {
    let pending = this.#live.get(meetingId);
    if (!pending) {
      pending = this.#load(meetingId);
      this.#live.set(meetingId, pending);
      pending.catch(() => this.#live.delete(meetingId));
    }
    return pending;
  }

  async ifLoaded(meetingId: string): Promise<LiveMeeting | undefined> {
    return this.#live.get(meetingId)?.catch(() => undefined);
  }

  async loaded(): Promise<LiveMeeting[]> {
    const loaded = await Promise.all([...this.#live.values()].map((pending) => pending.catch(() => undefined)));
    return loaded.filter((live) => live !== undefined);
  }

  changed(live: LiveMeeting): void {
    this.#broadcasts.changed(live);
  }

  /** Pushes the meeting's state now, whatever went last (it ends, or the hub stops, and its connections go next). */
  flush(live: LiveMeeting): void {
    this.#broadcasts.flush(live);
  }

  /** The meeting ended or was called off: the next touch loads it again. */
  forget(meetingId: string): void {
    this.#live.delete(meetingId);
  }

  /** The hub stops: every loaded meeting's last state is pushed and its controls written. */
  async stop(): Promise<void> {
    for (const live of await this.loaded()) this.#broadcasts.flush(live);
    await Promise.all(this.#pendingSaves);
  }

  close(): void {
    this.#broadcasts.close();
  }

  async #load(meetingId: string): Promise<LiveMeeting> {
    const { store } = this.#deps;
    const record = await store.get(meetingId);
    if (!record) throw new SignallingError('NOT_FOUND', said('meeting.notFound', { id: meetingId }));
    const rollCall = await store.rollCalls.latest(meetingId);
    const live = new LiveMeeting(
      record,
      await store.attendedCodes(meetingId),
      rollCall,
      await store.feeds(meetingId),
      await store.pairedRoomSystems(meetingId),
      await store.votes.list(meetingId),
      await store.agenda.live(meetingId),
    );
    live.speech = await store.speeches.current(meetingId);
    this.#savedControls.set(meetingId, JSON.stringify(live.controls()));
    this.#deps.onLoaded?.(live);
    return live;
  }

  #saveControls(live: LiveMeeting): void {
    const controls = live.controls();
    const text = JSON.stringify(controls);
    if (this.#savedControls.get(live.id) === text) return;
    this.#savedControls.set(live.id, text);
    const saving = this.#deps.store
      .saveControlState(live.id, controls)
      .catch((err: unknown) => this.#deps.log.error({ err, meetingId: live.id }, 'saving the meeting control state failed'))
      .finally(() => this.#pendingSaves.delete(saving));
    this.#pendingSaves.add(saving);
  }
}
