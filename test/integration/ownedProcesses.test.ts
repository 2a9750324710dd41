import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../prisma/index.js';

const alive = (pid: number) =>
  fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');

describe("the hub's child processes", () => {
  it('end with the hub however it ends: its children are killed by the kernel when it is SIGKILLed alone', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test', 'processes', 'ownedChildren.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let output = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = /PIDS (\d+) (\d+)/.exec(output);
        if (line) resolve([Number(line[1]), Number(line[2])]);
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before its children started`)));
    });
    // both run (setpriv has become the program: the pid is the program's)
    await expect.poll(() => pids.map((pid) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim())).toEqual(['sleep', 'ffmpeg']);
    // the parent alone is killed, not its process group: nothing else would end the children
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await exited;
    await expect.poll(() => pids.filter(alive)).toEqual([]);
  });
});
