import fs from 'node:fs/promises';

/**
 * A process's CPU demand so far, in nanoseconds: the time its threads ran plus the time they were ready
 * to run but waited for a core (Linux schedstat); undefined once the process is gone. Demand, not use: a
 * worker starved by other processes on a full machine reads as loaded as one busy with its own packets,
 * and both are short of CPU.
 */
export async function cpuDemandNs(pid: number): Promise<number | undefined> {
  // a worker that just died has no entry any more: no reading
  const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => undefined);
  if (!tasks) return undefined;
  let total = 0;
  for (const task of tasks) {
    // a thread may end between the listing and the read
    const line = await fs.readFile(`/proc/${pid}/task/${task}/schedstat`, 'utf8').catch(() => undefined);
    if (line === undefined) continue;
    const [running, waiting] = line.trim().split(/\s+/).map(Number);
    total += (running ?? 0) + (waiting ?? 0);
  }
  return total;
}
