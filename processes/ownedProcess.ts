import path from 'node:path';
import { projectRoot } from '../prisma/index.js';

/**
 * The command line that runs `command` as a child that goes with the hub: util-linux's setpriv sets the
 * parent-death signal (SIGKILL) and then becomes the program, so the kernel ends it when the hub's process
 * ends however that happens (a crash, `kill -9`, the out-of-memory killer). No ffmpeg or coturn is left
 * holding the hub's ports and files. For `spawn(...ownedCommand(...), options)`, which keeps spawn's typing.
 */
export function ownedCommand(command: string, args: readonly string[]): [string, string[]] {
  return ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]];
}

/** The same for fluent-ffmpeg, which spawns ffmpeg itself (`setFfmpegPath`): a two-line script beside this module. */
export const ownedFfmpegPath = path.join(projectRoot, 'processes', 'ffmpeg-owned');
