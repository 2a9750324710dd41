import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ownedCommand } from '../processes/index.js';

/** A chapter of the joined recording: a title, from and to milliseconds into it by the wall clock. */
export interface RecordingChapter {
  title: string;
  startMs: number;
  endMs: number;
}

/** The chapters and the wall-clock length of the recording they were timed against. */
export interface RecordingChapters {
  list: RecordingChapter[];
  wallMs: number;
}

/**
 * A recording's MPEG-TS segments as one MP4 (stream copy; the index first, so a player starts at once), with its
 * chapters if it has any. The segments are one stream cut in pieces, so they are fed to ffmpeg one after the other
 * as they are.
 */
export async function joinSegments(files: string[], output: string, chapters: RecordingChapters = { list: [], wallMs: 0 }): Promise<void> {
  const chapterFile = `${output}.chapters.txt`;
  // the chapters are timed by the wall clock, and the media can be shorter (a program that fell behind real time
  // on a busy machine): they are spread over the media as over the wall-clock span, so the last ends with the
  // picture and sound (a chapter past them would make the MP4 last longer than what it holds)
  const mediaMs = chapters.list.length > 0 ? await durationMs(files) : 0;
  const scale = chapters.wallMs > 0 ? mediaMs / chapters.wallMs : 1;
  const kept = chapters.list
    .map((chapter) => ({ ...chapter, startMs: chapter.startMs * scale, endMs: Math.min(mediaMs, chapter.endMs * scale) }))
    .filter((chapter) => chapter.endMs - chapter.startMs >= 1);
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
