import { describe, expect, it } from 'vitest';
import { OfficeHours } from '../../camera-gateway/recording/OfficeHours.js';
import { defaultOfficeHours } from '../../camera-gateway/recording/RecordingTypes.js';

describe('office hours on the province’s clock and calendar', () => {
  const hours = new OfficeHours({ ...defaultOfficeHours, holidays: ['2026-09-02'] });
  // Asia/Ho_Chi_Minh is UTC+7 all year
  const at = (local: string) => new Date(`${local}+07:00`);

  it('opens Monday to Friday, morning and afternoon sessions, local time', () => {
    expect(hours.contains(at('2026-12-01T07:00:00'))).toBe(true); // Tuesday, opening
    expect(hours.contains(at('2026-12-01T06:59:00'))).toBe(false);
    expect(hours.contains(at('2026-12-01T11:29:00'))).toBe(true);
    expect(hours.contains(at('2026-12-01T11:30:00'))).toBe(false); // lunch
    expect(hours.contains(at('2026-12-01T13:00:00'))).toBe(true);
    expect(hours.contains(at('2026-12-01T17:00:00'))).toBe(false);
    // 08:00 in Hà Nội is 01:00 UTC: the zone, not the server's clock, decides
    expect(hours.contains(new Date('2026-12-01T01:00:00Z'))).toBe(true);
  });

  it('is closed at weekends and on the holidays given', () => {
    expect(hours.contains(at('2026-12-05T09:00:00'))).toBe(false); // Saturday
    expect(hours.contains(at('2026-12-06T09:00:00'))).toBe(false); // Sunday
    expect(hours.contains(at('2026-09-02T09:00:00'))).toBe(false); // National Day (a Wednesday)
    expect(hours.contains(at('2026-09-03T09:00:00'))).toBe(true);
  });

  it('refuses a period that is not HH:MM', () => {
    expect(() => new OfficeHours({ ...defaultOfficeHours, periods: [['7:00', '11:30']] })).toThrow(/HH:MM/);
  });
});
