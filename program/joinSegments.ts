import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ownedCommand } from '../processes/index.js';

/**
 * A recording's MPEG-TS segments as one MP4 (stream copy; the index first, so a player starts at once).
 * The segments are one stream cut in pieces, so they are fed to ffmpeg one after the other as they are.
 */
export async function joinSegments(files: string[], output: string): Promise<void> {
  const ffmpeg = spawn(
    ...ownedCommand('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-f',
      'mpegts',
      '-i',
      'pipe:0',
      '-map',
      '0',
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '-y',
      output,
    ]),
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let said = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => (said = `${said}${chunk.toString()}`.slice(-2000)));
  const exited = once(ffmpeg, 'exit') as Promise<[number | null]>;
  async function* segments() {
    for (const file of files) yield* fs.createReadStream(file);
  }
  const fed = pipeline(segments, ffmpeg.stdin).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error('feeding the segments failed')),
  );
  const [[code], fedError] = await Promise.all([exited, fed]);
  if (code !== 0) throw new Error(`joining the recording failed: ${said.trim() || `ffmpeg exited ${code}`}`);
  if (fedError) throw fedError;
}
