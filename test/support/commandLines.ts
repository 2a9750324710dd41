import fs from 'node:fs';

/** Every process on the machine whose command line (world-readable in /proc) holds `text`: its pid and command line. */
export function commandLinesHolding(text: string): Array<{ pid: number; commandLine: string }> {
  const found: Array<{ pid: number; commandLine: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let commandLine: string;
    try {
      commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // gone meanwhile
    }
    if (commandLine.includes(text)) found.push({ pid: Number(entry), commandLine });
  }
  return found;
}
