export interface CounterAttendanceOptions {
  /** Nothing moving in the staff zone this long makes the counter unattended (from the last motion seen). */
  unattendedAfterMs: number;
  /** How faint a motion in the zone counts (as a motion search's). */
  sensitivity: number;
  /** Share of the zone that must move at once, in percent. */
  minArea: number;
  /** Pictures further apart than this break the watch: the time between is not observed. */
  maxGapMs: number;
  /** How often an open span's end is written while it lasts. */
  heartbeatMs: number;
}

export const defaultCounterAttendanceOptions: CounterAttendanceOptions = {
  unattendedAfterMs: 10 * 60_000,
  sensitivity: 6,
  minArea: 3,
  maxGapMs: 30_000,
  heartbeatMs: 60_000,
};

/** A span as stored: observed (the zone watched in office hours) or absent (nothing moved there). */
export interface CounterSpan {
  cameraId: number;
  startedAt: Date;
  endedAt: Date;
}
