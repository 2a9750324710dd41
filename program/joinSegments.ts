import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ownedCommand } from '../processes/index.js';

/** A chapter of the joined recording: a title, from and to milliseconds into it. */
export interface RecordingChapter {
  title: string;
  startMs: number;
  endMs: number;
}

/**
 * A recording's MPEG-TS segments as one MP4 (stream copy; the index first, so a player starts at once), with its
 * chapters if it has any. The segments are one stream cut in pieces, so they are fed to ffmpeg one after the other
 * as they are.
 */
export async function joinSegments(files: string[], output: string, chapters: RecordingChapter[] = []): Promise<void> {
  const chapterFile = `${output}.chapters.txt`;
  // the chapters are placed by the wall clock; the media can be shorter (a program that fell behind, a pause for
  // disk space): none may reach past the media's end, or the MP4 would last longer than its picture and sound
  const mediaMs = chapters.length > 0 ? await durationMs(files) : 0;
  const kept = chapters
    .filter((chapter) => chapter.startMs < mediaMs)
    .map((chapter) => ({ ...chapter, endMs: Math.min(chapter.endMs, mediaMs) }));
  if (kept.length > 0) await fs.promises.writeFile(chapterFile, ffmetadata(kept));
  try {
    await join(files, output, kept.length > 0 ? chapterFile : null);
  } finally {
    await fs.promises.rm(chapterFile, { force: true });
  }
}

async function join(files: string[], output: string, chapterFile: string | null): Promise<void> {
  const ffmpeg = spawn(
    ...ownedCommand('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-f',
      'mpegts',
      '-i',
      'pipe:0',
      ...(chapterFile ? ['-f', 'ffmetadata', '-i', chapterFile, '-map_chapters', '1'] : []),
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

const run = promisify(execFile);

/** The segments' media, end to end, in ms (each segment's own duration as ffprobe reads it). */
async function durationMs(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    const { stdout } = await run(...ownedCommand('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]));
    total += (Number(stdout.trim()) || 0) * 1000;
  }
  return total;
}

/** ffmpeg's metadata file: its special characters escaped with a backslash, a title on one line. */
function ffmetadata(chapters: RecordingChapter[]): string {
  const escape = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/[=;#\\]/g, (special) => `\\${special}`);
  return [
    ';FFMETADATA1',
    ...chapters.flatMap((chapter) => [
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      `START=${Math.round(chapter.startMs)}`,
      `END=${Math.round(chapter.endMs)}`,
      `title=${escape(chapter.title)}`,
    ]),
    '',
  ].join('\n');
}
