/** Vietnam (UTC+7, no daylight saving): reports' periods and months, and cameras' days, are the province's calendar days. */
export const provinceUtcOffsetMs = 7 * 60 * 60 * 1000;

/** The instant the province's day `YYYY-MM-DD` begins. */
export function provinceDayStart(isoDate: string): Date {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) - provinceUtcOffsetMs);
}
