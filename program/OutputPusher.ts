import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { OutputPusherEvents, OutputState } from './ProgramTypes.js';
import { ownedCommand, presetDescriptor, secretOutput } from '../processes/index.js';
import { pushFailureReason } from './pushFailure.js';

const firstRetryMs = 1000;
const maxRetryMs = 10_000;
/** A push that stayed up this long starts its next retries from the first delay again. */
const steadyAfterMs = 10_000;
/** A destination taking less than this keeps up; one further behind is reconnected rather than buffered for. */
const maxBacklogBytes = 4 * 1024 * 1024;

/**
 * One destination of the program (an RTMP server, an SRT listener): an ffmpeg copying the program's
 * MPEG-TS into FLV over RTMP or MPEG-TS over SRT. It connects again whenever the push ends (the server
 * went away, refused, or fell behind), after 1 s, then doubling up to 10 s.
 */
export class OutputPusher extends EventEmitter<OutputPusherEvents> {
  readonly url: string;
  #process: ChildProcess | undefined;
  #state: OutputState = 'connecting';
  #lastError: string | null = null;
  #retryMs = firstRetryMs;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(url: string) {
    super();
    this.url = url;
    this.#connect();
  }

  get state(): OutputState {
    return this.#state;
  }

  /** Why the last push ended (null before any did). */
  get lastError(): string | null {
    return this.#lastError;
  }

  write(chunk: Buffer): void {
    const process = this.#process;
    if (!process || this.#state === 'retrying') return;
    if (process.stdin!.writableLength > maxBacklogBytes) {
      this.#lastError = 'nơi nhận không theo kịp luồng';
      process.kill('SIGKILL');
      return;
    }
    process.stdin!.write(chunk);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#process?.kill('SIGKILL');
  }

  #connect(): void {
    if (this.#closed) return;
    this.#setState('connecting');
    const srt = this.url.startsWith('srt:');
    // the stream key or passphrase goes on a pipe (see processes/ffmpegSecrets), not on the command line
    const output = secretOutput(this.url);
    const preset = presetDescriptor(output.preset);
    let process: ChildProcess;
    try {
      process = spawn(
        ...ownedCommand('ffmpeg', [
          ...['-nostdin', '-hide_banner', '-loglevel', 'info', '-f', 'mpegts', '-analyzeduration', '2500000', '-i', 'pipe:0'],
          ...['-map', '0', '-c', 'copy', '-f', srt ? 'mpegts' : 'flv', ...output.args],
        ]),
        { stdio: ['pipe', 'ignore', 'pipe', preset] },
      );
    } finally {
      fs.closeSync(preset);
    }
    this.#process = process;
    const startedAt = Date.now();
    let said = '';
    process.stdin!.on('error', () => undefined); // the exit says why
    process.stderr!.on('data', (chunk: Buffer) => {
      said = `${said}${chunk.toString()}`.slice(-4000);
      // ffmpeg names its output once the destination took the connection and the header
      if (this.#state === 'connecting' && said.includes('Output #0')) this.#setState('live');
    });
    process.on('exit', (code, signal) => {
      if (this.#process !== process) return;
      this.#process = undefined;
      if (this.#closed) return;
      const failure = said
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /error|failed|refused|reset|broken|timed out|invalid/i.test(line))
        .at(-1);
      // a reason from a fixed list: ffmpeg's line names the destination, its key with it
      this.#lastError = failure
        ? pushFailureReason(failure, 'nơi nhận báo lỗi')
        : (this.#lastError ?? `luồng đẩy dừng (${signal ?? code})`);
      if (Date.now() - startedAt >= steadyAfterMs) this.#retryMs = firstRetryMs;
      this.#setState('retrying');
      this.#retry = setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2);
    });
  }

  #setState(state: OutputState): void {
    if (state === this.#state && state !== 'connecting') return;
    this.#state = state;
    this.emit('state', state, state === 'live' ? null : this.#lastError);
  }
}
