import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ownedCommand } from '../processes/index.js';
import { audioEncoding } from './RtpEncoder.js';
import type { MixCodec, RtpTarget } from './ProgramTypes.js';

const run = promisify(execFile);

/**
 * A sentence said in Vietnamese by espeak-ng (its `vi` voice, in Debian's package), as a WAV file in `dir`, made
 * once per text and kept: the announcements a SIP caller hears, spoken on the server rather than shipped.
 */
export async function spokenPrompt(dir: string, text: string): Promise<string> {
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.wav`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await run('espeak-ng', ['-v', 'vi', '-s', '150', '-w', partial, text]);
  fs.renameSync(partial, file);
  return file;
}

/**
 * Plays a WAV file once as RTP to `target` on loopback, at its own pace (the sink keeps time), in `codec`.
 * Resolves when it has been said, or when `signal` stops it.
 */
export async function playPrompt(file: string, codec: MixCodec, target: RtpTarget, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const pipeline = [
    ...['filesrc', `location=${file}`, '!', 'wavparse', '!', 'audioconvert', '!', 'audioresample', '!'],
    ...audioEncoding(codec, target),
    ...['udpsink', 'host=127.0.0.1', `port=${target.port}`, 'sync=true'],
  ];
  const child = spawn(...ownedCommand('gst-launch-1.0', ['-q', ...pipeline]), { stdio: 'ignore' });
  const stop = () => child.kill('SIGKILL');
  signal.addEventListener('abort', stop, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, exitSignal) =>
        code === 0 || signal.aborted ? resolve() : reject(new Error(`gst-launch exited (${exitSignal ?? code}) playing a prompt`)),
      );
    });
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
