import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks a second, as /proc counts CPU time. */
export const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** The CPU ticks (user + system) used so far by the processes whose command line matches `pattern` (pgrep -f); 0 when none runs. */
export function cpuTicksOf(pattern: string): number {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return 0;
  }
  return pids
    .map((pid) => {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(fields[11]) + Number(fields[12]);
      } catch {
        return 0;
      }
    })
    .reduce((a, b) => a + b, 0);
}

/** The camera pulls' ffmpeg processes (their RTSP options come on stdin: the command line names pipe:0). */
export const cameraPulls = 'ffmpeg.* -i pipe:0';
