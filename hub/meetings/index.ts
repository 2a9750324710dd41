/** meetings/: scheduling, the live meeting (sites, chair, floor, presentation, media), attendance and their REST. */
export { AttendanceRecorder } from './AttendanceRecorder.js';
export type { AttendanceOptions } from './AttendanceRecorder.js';
export type { LiveMeeting } from './LiveMeeting.js';
export type { CallSeat, LiveMeetingRegistry } from './LiveMeetingsTypes.js';
export { meetingMediaRoutes } from './meetingMediaRoutes.js';
export { meetingRoutes } from './meetingRoutes.js';
export { MeetingSignalling } from './MeetingSignalling.js';
export { MeetingStore, toMeetingDto } from './MeetingStore.js';
export { AgendaDocuments } from './AgendaDocuments.js';
export { agendaRoutes } from './agendaRoutes.js';
