import fs from 'node:fs';

/** The pids of `parent`'s children (this process by default) whose command line `matches`, read from /proc. */
export function childProcesses(matches: (commandLine: string) => boolean, parent = process.pid): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": the command name may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      const commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (matches(commandLine)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
