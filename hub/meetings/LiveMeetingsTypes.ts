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
