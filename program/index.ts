/** program/: a meeting's program composed on the server (one source's picture, the forwarded voices mixed), pushed out and recorded. */
export { ProgramComposer } from './ProgramComposer.js';
export { OutputPusher } from './OutputPusher.js';
export { pushFailureReason } from './pushFailure.js';
export { SegmentRecorder, listSegments } from './SegmentRecorder.js';
export { joinSegments } from './joinSegments.js';
export type { RecordingChapter, RecordingChapters } from './joinSegments.js';
export { playPrompt, spokenPrompt } from './spokenPrompts.js';
export { defaultProgramComposerOptions } from './ProgramTypes.js';
export type {
  FrameSize,
  MixCodec,
  OutputState,
  ProgramComposerOptions,
  ProgramVideoSource,
  ProgramView,
  RtpTarget,
  ShownVideoStats,
  VideoCodec,
} from './ProgramTypes.js';
