/** camera-gateway/: ONVIF cameras (node-onvif) and their RTSP streams remuxed into the SFU (ffmpeg). */
export { CameraGateway } from './CameraGateway.js';
export type { CameraGatewayEvents, PreparedCamera } from './CameraGateway.js';
export type { CameraControl } from './CameraControl.js';
export { CredentialCipher } from './CredentialCipher.js';
export { rtspPull } from './rtspPull.js';
export { OnvifClient } from './OnvifClient.js';
export { CameraUriPolicy } from './CameraUriPolicy.js';
export {
  CameraHasEvidenceError,
  CameraNotFoundError,
  CameraSnapshotError,
  CameraUnreachableError,
  CameraUriRefusedError,
  EvidenceLockNotFoundError,
  EvidenceLockNotYoursError,
  BookmarkNotFoundError,
  BookmarkNotYoursError,
  NoRecordingError,
} from './errors.js';
export { Recorder } from './recording/Recorder.js';
export type { EvidenceLockRow } from './recording/EvidenceLocks.js';
export type { Segment, TimeRange } from './recording/SegmentIndex.js';
export { defaultOfficeHours, defaultRecordingOptions } from './recording/RecordingTypes.js';
export type { RecordingOptions, StorageState } from './recording/RecordingTypes.js';
export type { CameraRefusalCode } from './errors.js';
export type { SnapshotLimits } from './SnapshotFetcher.js';
export type { FeedOptions, GatewayLog } from './CameraGatewayTypes.js';
export type { BookmarkRow } from './recording/Bookmarks.js';
export type { MotionInterval } from './motion/motionSearch.js';
export { defaultMotionOptions } from './motion/MotionTypes.js';
export type { MotionOptions, TamperOptions } from './motion/MotionTypes.js';
export type { DeviceEventRow } from './events/DeviceEvents.js';
export type { PullPointOptions } from './events/DeviceEventTypes.js';
export { defaultCounterAttendanceOptions } from './attendance/AttendanceTypes.js';
export type { CounterAttendanceOptions } from './attendance/AttendanceTypes.js';
