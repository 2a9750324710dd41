import type { CounterAttendanceRow } from '../../shared/cameras.js';
import type { CounterSpan } from './AttendanceTypes.js';

/** A camera as the report names it. */
export interface ReportedCounter {
  id: number;
  name: string;
  unitName: string;
  counter: string;
}

const minutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;

/** The part of [start, end) within [from, to), in ms. */
function within(span: CounterSpan, from: Date, to: Date): { start: number; end: number } | null {
  const start = Math.max(span.startedAt.getTime(), from.getTime());
  const end = Math.min(span.endedAt.getTime(), to.getTime());
  return end > start ? { start, end } : null;
}

/**
 * Each watched counter's office hours in [from, to): how long its staff zone was observed, the share
 * of that with someone at the desk, the longest absence and every absence (with where to see it).
 */
export function counterReport(
  counters: ReportedCounter[],
  observations: CounterSpan[],
  absences: CounterSpan[],
  from: Date,
  to: Date,
): CounterAttendanceRow[] {
  return counters.flatMap((counter) => {
    const observed = observations
      .filter((s) => s.cameraId === counter.id)
      .map((s) => within(s, from, to))
      .filter((s) => s !== null);
    if (observed.length === 0) return [];
    const observedMs = observed.reduce((sum, s) => sum + (s.end - s.start), 0);
    const absent = absences
      .filter((s) => s.cameraId === counter.id)
      .map((s) => within(s, from, to))
      .filter((s) => s !== null)
      .sort((a, b) => a.start - b.start);
    const absentMs = absent.reduce((sum, s) => sum + (s.end - s.start), 0);
    return [
      {
        ...counter,
        observedMinutes: minutes(observedMs),
        attendedMinutes: minutes(Math.max(0, observedMs - absentMs)),
        attendedShare: observedMs > 0 ? Math.max(0, observedMs - absentMs) / observedMs : null,
        longestAbsenceMinutes: minutes(Math.max(0, ...absent.map((s) => s.end - s.start))),
        absences: absent.map((s) => ({
          start: new Date(s.start).toISOString(),
          end: new Date(s.end).toISOString(),
          minutes: minutes(s.end - s.start),
          recording: `/wall?camera=${counter.id}&at=${encodeURIComponent(new Date(s.start).toISOString())}`,
        })),
      },
    ];
  });
}
