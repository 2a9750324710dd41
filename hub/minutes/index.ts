/** minutes/: a meeting's minutes (biên bản), drafted from what happened, finalized with a hash, exported as DOCX and PDF. */
export { MeetingMinutes } from './MeetingMinutes.js';
export { minutesDigest, MinutesStore } from './MinutesStore.js';
export { minutesRoutes } from './minutesRoutes.js';
