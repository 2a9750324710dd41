/** The province's clock: a supervisor's "10:40" is Hà Nội time whatever the station's settings. */
export const timeZone = 'Asia/Ho_Chi_Minh';
const zoneOffsetMs = 7 * 3_600_000;
export const dayMs = 86_400_000;

/** "YYYY-MM-DDTHH:MM:SS" in the province's time, for a datetime-local input with seconds. */
export function localInput(date: Date): string {
  return new Date(date.getTime() + zoneOffsetMs).toISOString().slice(0, 19);
}

/** The province's day that holds `date`, from its midnight. */
export function dayOf(date: Date): Date {
  return new Date(Math.floor((date.getTime() + zoneOffsetMs) / dayMs) * dayMs - zoneOffsetMs);
}

/** The field's value (seconds optional) as an instant in the province's time. */
export function fromLocalInput(value: string): Date | null {
  const date = new Date(`${value.length === 16 ? `${value}:00` : value}+07:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}
