import type { LiveMeeting } from './LiveMeeting.js';

/**
 * The meetings this node holds in memory, as every user of them sees them: the sites' sessions, the feeds,
 * the program, the cluster and the reports of quality all take this one interface.
 */
export interface LiveMeetingRegistry {
  /** A meeting's state, loaded from the database when first touched. */
  get(meetingId: string): Promise<LiveMeeting>;
  /** A loaded meeting's state (undefined when nobody has touched it since the start). */
  ifLoaded(meetingId: string): Promise<LiveMeeting | undefined>;
  /** The meetings loaded so far (one that failed to load is not among them). */
  loaded(): Promise<LiveMeeting[]>;
  /** What the meeting shows changed (a presence, a hand, a feed, the program): everyone's view follows. */
  changed(live: LiveMeeting): void;
}

/** A bridge point in a meeting through its room system's SIP call instead of a page. */
export interface CallSeat {
  readonly live: LiveMeeting;
  readonly code: string;
  /** The site's name, as the meeting shows it. */
  readonly name: string;
  /** The call's media are in the meeting: the site is here, and its attendance runs. */
  here(): Promise<void>;
  /** The call ended: the site left (once; again does nothing). */
  leave(): Promise<void>;
  /** The room answers the open roll call with its head count (its keypad); false when none is open. */
  answerRollCall(headCount: number): Promise<boolean>;
}
