/** processes/: the hub's child processes (ffmpeg, coturn), each made to end with the hub, and given secrets by pipe. */
export { ownedCommand, ownedFfmpegPath } from './ownedProcess.js';
export { handOver, presetDescriptor, secretInput, secretOutput } from './ffmpegSecrets.js';
export type { SecretInput, SecretOutput } from './ffmpegSecrets.js';
