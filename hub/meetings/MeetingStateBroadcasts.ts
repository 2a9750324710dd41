import type { LiveMeeting } from './LiveMeeting.js';

/**
 * Pushes a meeting's state (every site's presence, hands, mutes) to everyone in it: a change goes out
 * at once, and while changes keep coming (125 sites joining at 8 a.m.) at most one push every
 * `intervalMs`, carrying the latest state; each push goes to every site, so one per change would make
 * a join storm quadratic.
 */
export class MeetingStateBroadcasts {
  readonly #emit: (live: LiveMeeting) => void;
  readonly #intervalMs: number;
  readonly #meetings = new Map<string, { lastAt: number; timer?: NodeJS.Timeout }>();

  constructor(emit: (live: LiveMeeting) => void, intervalMs = 100) {
    this.#emit = emit;
    this.#intervalMs = intervalMs;
  }

  changed(live: LiveMeeting): void {
    const entry = this.#entry(live.id);
    // a push is already due: it will carry this change
    if (entry.timer) return;
    const wait = entry.lastAt + this.#intervalMs - Date.now();
    if (wait <= 0) this.#send(live);
    else entry.timer = setTimeout(() => this.#send(live), wait);
  }

  /** Now, whatever was pushed last (the meeting ends and its connections are dropped next). */
  flush(live: LiveMeeting): void {
    this.#send(live);
    this.#meetings.delete(live.id);
  }

  close(): void {
    for (const entry of this.#meetings.values()) clearTimeout(entry.timer);
    this.#meetings.clear();
  }

  #send(live: LiveMeeting): void {
    const entry = this.#entry(live.id);
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.lastAt = Date.now();
    this.#emit(live);
  }

  #entry(meetingId: string): { lastAt: number; timer?: NodeJS.Timeout } {
    let entry = this.#meetings.get(meetingId);
    if (!entry) {
      entry = { lastAt: 0 };
      this.#meetings.set(meetingId, entry);
    }
    return entry;
  }
}
