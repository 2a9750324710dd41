import { provinceUtcOffsetMs } from '../../../shared/provinceCalendar';

/** The province's clock: a supervisor's "10:40" is Hà Nội time whatever the station's settings. */
export const timeZone = 'Asia/Ho_Chi_Minh';
export const dayMs = 86_400_000;

/** "YYYY-MM-DDTHH:MM:SS" in the province's time, for a datetime-local input with seconds. */
export function localInput(date: Date): string {
  return new Date(date.getTime() + provinceUtcOffsetMs).toISOString().slice(0, 19);
}

/** The province's day that holds `date`, from its midnight. */
export function dayOf(date: Date): Date {
  return new Date(Math.floor((date.getTime() + provinceUtcOffsetMs) / dayMs) * dayMs - provinceUtcOffsetMs);
}

/** The field's value (seconds optional) as an instant in the province's time. */
export function fromLocalInput(value: string): Date | null {
  const date = new Date(`${value.length === 16 ? `${value}:00` : value}+07:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "YYYY-MM-DD": the province's calendar day that holds `date`. */
export function provinceDate(date: Date): string {
  return localInput(date).slice(0, 10);
}
