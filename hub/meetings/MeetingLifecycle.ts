import type { MeetingChange, MeetingStatus } from '../../shared/meetings.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { ClusterMeetings } from '../cluster/index.js';
import { channels, type HubServer } from '../realtime/index.js';
import type { AttendanceRecorder } from './AttendanceRecorder.js';
import type { LiveMeetings } from './LiveMeetings.js';
import type { MeetingRecord, MeetingStore } from './MeetingStore.js';

export interface MeetingLifecycleDeps {
  io: HubServer;
  store: MeetingStore;
  attendance: AttendanceRecorder;
  meetings: LiveMeetings;
  /** With several nodes: every node's copy follows the status. */
  cluster?: ClusterMeetings;
}

/**
 * A meeting's life as its chair drives it over REST: started (the lobby is told and its sites join), ended
 * (attendance closed, every connection dropped), called off, rescheduled. Each step is recorded, and
 * whoever follows a meeting's status (the feeds, the program, the other nodes) is told.
 */
export class MeetingLifecycle {
  readonly #deps: MeetingLifecycleDeps;
  readonly #statusListeners: Array<(meetingId: string, status: MeetingStatus) => void> = [];

  constructor(deps: MeetingLifecycleDeps) {
    this.#deps = deps;
  }

  /** Called when the chair starts, ends or cancels a meeting (feeds from outside listen while it is live). */
  onStatusChange(listener: (meetingId: string, status: MeetingStatus) => void): void {
    this.#statusListeners.push(listener);
  }

  /** Called when the chair starts the meeting (REST): the lobby is told, and its sites join again. */
  async startMeeting(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const record = await this.#deps.store.requireChaired(meetingId, user);
    const started = await this.#deps.store.markStarted(record, new Date());
    await this.#deps.store.chairActions.record(meetingId, user.id, 'start');
    const live = await this.#deps.meetings.ifLoaded(meetingId);
    if (live) {
      live.status = 'LIVE';
      this.#deps.meetings.changed(live);
    }
    await this.#statusChanged(meetingId, 'LIVE');
    return started;
  }

  /** Ends the meeting for everyone: attendance is closed and every connection is dropped. */
  async endMeeting(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const record = await this.#deps.store.requireChaired(meetingId, user);
    await this.#deps.attendance.flush();
    const ended = await this.#deps.store.markEnded(record, new Date());
    await this.#deps.store.chairActions.record(meetingId, user.id, 'end');
    const live = await this.#deps.meetings.ifLoaded(meetingId);
    this.#deps.meetings.forget(meetingId);
    if (live) {
      live.status = 'ENDED';
      if (live.rollCall && !live.rollCall.closedAt) live.rollCall = { ...live.rollCall, closedAt: ended.endedAt };
      // a vote still open closed with the meeting: every page sees its totals
      if (live.votes.some((vote) => !vote.closedAt)) live.votes = await this.#deps.store.votes.list(meetingId);
      if (live.agenda.current) live.agenda = await this.#deps.store.agenda.live(meetingId);
      live.speech = null;
      this.#deps.meetings.flush(live);
    }
    // whether or not the meeting is loaded here: its sites may be waiting on another node
    this.#dismiss(meetingId);
    await this.#statusChanged(meetingId, 'ENDED');
    return ended;
  }

  /** Calls off a meeting before it starts: sites waiting in its lobby are told it is over and disconnected. */
  async cancelMeeting(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
    const record = await this.#deps.store.requireChaired(meetingId, user);
    const cancelled = await this.#deps.store.cancel(record);
    await this.#deps.store.chairActions.record(meetingId, user.id, 'cancel');
    const live = await this.#deps.meetings.ifLoaded(meetingId);
    this.#deps.meetings.forget(meetingId);
    if (live) live.status = 'CANCELLED';
    this.#dismiss(meetingId);
    await this.#statusChanged(meetingId, 'CANCELLED');
    return cancelled;
  }

  /** Whoever follows the meeting's status here is told, then every other node's copy. */
  async #statusChanged(meetingId: string, status: MeetingStatus): Promise<void> {
    for (const listener of this.#statusListeners) listener(meetingId, status);
    await this.#deps.cluster?.shareStatus(meetingId, status);
  }

  /** Everyone in the meeting (lobby and room), on every node, is told it is over, then disconnected. */
  #dismiss(meetingId: string): void {
    this.#deps.io.to(channels.state(meetingId)).emit('meeting:closed', { reason: 'ended' });
    this.#deps.io.in(channels.state(meetingId)).disconnectSockets(true);
  }

  /** A new subject, time or invitation list before the meeting starts; a lobby already waiting sees it at once. */
  async rescheduleMeeting(meetingId: string, user: AuthenticatedUser, change: MeetingChange): Promise<MeetingRecord> {
    const record = await this.#deps.store.requireChaired(meetingId, user);
    const changed = await this.#deps.store.reschedule(record, change);
    await this.#deps.store.chairActions.record(meetingId, user.id, 'reschedule', undefined, JSON.stringify(change));
    const live = await this.#deps.meetings.ifLoaded(meetingId);
    if (live) {
      Object.assign(live.record, changed);
      this.#deps.meetings.changed(live);
    }
    return changed;
  }
}
