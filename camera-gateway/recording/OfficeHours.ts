import type { OfficeHoursOptions } from './RecordingTypes.js';

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Whether an instant falls in the offices' opening hours, on the province's clock and calendar. */
export class OfficeHours {
  readonly #options: OfficeHoursOptions;
  readonly #format: Intl.DateTimeFormat;
  readonly #periods: Array<[number, number]>;

  constructor(options: OfficeHoursOptions) {
    this.#options = options;
    this.#format = new Intl.DateTimeFormat('en-GB', {
      timeZone: options.timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    this.#periods = options.periods.map(([start, end]) => [minutes(start), minutes(end)]);
  }

  contains(at: Date): boolean {
    const parts = Object.fromEntries(this.#format.formatToParts(at).map((p) => [p.type, p.value]));
    const weekday = weekdays.indexOf(parts.weekday ?? '') + 1;
    if (!this.#options.workingDays.includes(weekday)) return false;
    if (this.#options.holidays.includes(`${parts.year}-${parts.month}-${parts.day}`)) return false;
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    return this.#periods.some(([start, end]) => minute >= start && minute < end);
  }
}

function minutes(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new RangeError(`office hours are "HH:MM", not "${hhmm}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}
