/** processes/: the hub's child processes (ffmpeg, coturn), each made to end with the hub. */
export { ownedCommand, ownedFfmpegPath } from './ownedProcess.js';
