import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ownedCommand } from '../processes/index.js';

/** A segment of a meeting's recording: MPEG-TS, readable on its own and as it is written. */
export const segmentPattern = /^segment-(\d{5})\.ts$/;

const restartAfterMs = 1000;

export type SegmentRecorderEvents = {
  /** The segment writer stopped by itself; it is started again on the next segment number. */
  restarted: [reason: string];
};

/**
 * Whether the writer runs: `recording`, `paused` (by its owner: the disk is nearly full; the program
 * goes on, nothing is written) or `stopped`.
 */
type SegmentRecorderState = 'recording' | 'paused' | 'stopped';

/**
 * Writes the program, as it is composed, into `directory` in segments of `segmentSeconds` (ffmpeg's
 * segment muxer, stream copy, cut at key frames). MPEG-TS keeps what was written readable however the
 * writer ends, and each packet is written as it comes, so a crash loses only what had not reached it.
 */
export class SegmentRecorder extends EventEmitter<SegmentRecorderEvents> {
  readonly directory: string;
  readonly #segmentSeconds: number;
  #process: ChildProcessByStdio<Writable, null, Readable> | undefined;
  #state: SegmentRecorderState;
  #exited: Promise<void> = Promise.resolve();
  #restart: NodeJS.Timeout | undefined;

  /** `paused`: made paused (the disk is already nearly full); `resume` starts it. */
  constructor(directory: string, options: { segmentSeconds?: number; paused?: boolean } = {}) {
    super();
    this.directory = directory;
    this.#segmentSeconds = options.segmentSeconds ?? 10;
    fs.mkdirSync(directory, { recursive: true });
    this.#state = options.paused ? 'paused' : 'recording';
    if (this.#state === 'recording') this.#start();
  }

  write(chunk: Buffer): void {
    if (this.#state === 'recording') this.#process?.stdin.write(chunk);
  }

  /** Finishes the segment under way and writes nothing more until `resume`. */
  async pause(): Promise<void> {
    if (this.#state !== 'recording') return;
    this.#state = 'paused';
    await this.#finish();
  }

  /** Writes again, from the next segment number. */
  resume(): void {
    if (this.#state !== 'paused') return;
    this.#state = 'recording';
    if (!this.#process) this.#start();
  }

  /** Ends the last segment cleanly (the writer reads what it was given, then closes its file). */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    await this.#finish();
  }

  async #finish(): Promise<void> {
    clearTimeout(this.#restart);
    this.#process?.stdin.end();
    const killer = setTimeout(() => this.#process?.kill('SIGKILL'), 5000);
    await this.#exited;
    clearTimeout(killer);
  }

  #start(): void {
    const last = listSegments(this.directory).at(-1);
    const next = last ? Number(segmentPattern.exec(path.basename(last.file))![1]) + 1 : 0;
    let said = '';
    const process = spawn(
      ...ownedCommand('ffmpeg', [
        ...['-nostdin', '-loglevel', 'error', '-f', 'mpegts', '-analyzeduration', '2500000', '-i', 'pipe:0', '-map', '0', '-c', 'copy'],
        ...['-f', 'segment', '-segment_time', String(this.#segmentSeconds), '-segment_format', 'mpegts'],
        // each packet written through as it comes (the segment muxer passes the flag to its file), so a crash
        // loses what had not arrived, not an I/O buffer's worth of seconds
        ...['-fflags', '+flush_packets'],
        ...['-segment_start_number', String(next), path.join(this.directory, 'segment-%05d.ts')],
      ]),
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    this.#process = process;
    process.stdin.on('error', () => undefined);
    process.stderr.on('data', (chunk: Buffer) => (said = `${said}${chunk.toString()}`.slice(-2000)));
    this.#exited = new Promise((resolve) =>
      process.on('exit', (code, signal) => {
        if (this.#process === process) this.#process = undefined;
        // a writer that could not write (a full disk) leaves its file empty: nothing to keep or to join
        removeEmptySegments(this.directory);
        resolve();
        if (this.#state !== 'recording') return;
        this.emit('restarted', said.trim().split('\n').at(-1) || `the segment writer exited (${signal ?? code})`);
        this.#restart = setTimeout(() => {
          if (this.#state === 'recording' && !this.#process) this.#start();
        }, restartAfterMs);
      }),
    );
  }
}

/** The recording's segments in order, with their sizes. */
export function listSegments(directory: string): Array<{ file: string; bytes: number }> {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory)
    .filter((name) => segmentPattern.test(name))
    .sort()
    .map((name) => ({ file: path.join(directory, name), bytes: fs.statSync(path.join(directory, name)).size }));
}

function removeEmptySegments(directory: string): void {
  for (const segment of listSegments(directory)) if (segment.bytes === 0) fs.rmSync(segment.file, { force: true });
}
