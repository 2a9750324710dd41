/**
 * A parent that starts children the way the hub does (processes/): ffmpeg through fluent-ffmpeg's path and
 * coturn-like long runners through ownedCommand, prints "PIDS <pid> <pid>" and waits to be killed (see
 * ownedProcesses.test.ts).
 */
import { spawn } from 'node:child_process';
import { ownedCommand, ownedFfmpegPath } from '../../processes/index.js';

const sleeper = spawn(...ownedCommand('sleep', ['600']), { stdio: 'ignore' });
const ffmpeg = spawn(ownedFfmpegPath, ['-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'], {
  stdio: 'ignore',
});
console.log(`PIDS ${sleeper.pid} ${ffmpeg.pid}`);
setInterval(() => undefined, 60_000);
