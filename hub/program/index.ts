/** program/: a meeting's program (the composed picture and mix), its outputs and recordings over REST. */
export { programRoutes } from './programRoutes.js';
export { ProgramService } from './ProgramService.js';
export type { ProgramOptions } from './ProgramService.js';
export type { ProgramReceiver } from './ProgramReceivers.js';
