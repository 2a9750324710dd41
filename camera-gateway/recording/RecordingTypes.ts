import type { RecordingStorageDto, RecordMode } from '../../shared/cameras.js';

export interface OfficeHoursOptions {
  /** IANA zone the hours are in (the province's: Asia/Ho_Chi_Minh). */
  timeZone: string;
  /** ISO weekdays the offices open, 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Opening periods of a working day, "HH:MM" to "HH:MM" local time. */
  periods: Array<[start: string, end: string]>;
  /** Public holidays, "YYYY-MM-DD" local date: no office hours that day. */
  holidays: string[];
}

/** The Vietnamese administration's week: Monday to Friday, morning and afternoon sessions. */
export const defaultOfficeHours: OfficeHoursOptions = {
  timeZone: 'Asia/Ho_Chi_Minh',
  workingDays: [1, 2, 3, 4, 5],
  periods: [
    ['07:00', '11:30'],
    ['13:00', '17:00'],
  ],
  holidays: [],
};

export interface RecordingOptions {
  /** Where segments are written: "<directory>/<cameraId>/<epoch seconds>.ts". */
  directory: string;
  /** Length of a segment (cut at the first key frame after it). */
  segmentSeconds: number;
  /** Unlocked segments older than this are deleted. */
  retentionDays: number;
  /** All cameras' segments together stay below this; the oldest unlocked go first. */
  quotaBytes: number;
  /** Below this much free space on the recordings' disk, recording pauses and the wall shows an alert. */
  minFreeBytes: number;
  /** How often retention and the schedules are applied. */
  sweepIntervalMs: number;
  officeHours: OfficeHoursOptions;
}

export const defaultRecordingOptions: Omit<RecordingOptions, 'directory'> = {
  segmentSeconds: 120,
  retentionDays: 30,
  quotaBytes: 500 * 1024 ** 3,
  minFreeBytes: 1024 ** 3,
  sweepIntervalMs: 30_000,
  officeHours: defaultOfficeHours,
};

/** The recordings' disk as the wall shows it. */
export type StorageState = RecordingStorageDto;

export type { RecordMode };
