// One core kept busy, as other work on a shared machine would: `npm test -- --busy` and the benches' --busy.
// Bounded: the spinning process ends by itself after `limitMs` even if whoever started it is gone.
import { spawn } from 'node:child_process';

/** Starts the spinning process; `stop()` ends it. It competes at normal priority, as another job would. */
export function startCpuHog(limitMs = 7_200_000) {
  const hog = spawn(process.execPath, ['-e', `const end = Date.now() + ${limitMs}; while (Date.now() < end);`], { stdio: 'ignore' });
  return { pid: hog.pid, stop: () => hog.kill('SIGKILL') };
}
