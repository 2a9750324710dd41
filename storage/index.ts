/** storage/: the recordings' disks: how much room is left, and a watch that says when it runs short. */
export { freeBytes } from './freeBytes.js';
export { FreeSpaceWatch } from './FreeSpaceWatch.js';
export type { FreeSpaceWatchEvents } from './FreeSpaceWatch.js';
