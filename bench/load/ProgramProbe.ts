import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MeetingRecordingDto } from '../../shared/program.js';
import { freeUdpAndTcpPort } from '../../test/support/freePort.js';
import { receiveStream } from '../../test/support/streamReceiver.js';
import { hubRequest } from '../hubRequest.js';
import { signIn } from '../signIn.js';

const run = promisify(execFile);

/** What the program delivered to its SRT listener over the window. */
export interface ProgramReport {
  /** Pictures a second in what the listener received within the window. */
  fps: number;
  /** Pictures the listener received in all, from the push's start. */
  pictures: number;
  /** Times the picture stood still for 200 ms or more (the speaker's camera moves in every frame: none expected). */
  freezes: number;
  freezeMaxMs: number;
  /** The recording's growth over the window, MB. */
  recordedMb: number;
  /** The recording's whole size when the window ended, MB. */
  recordingMb: number;
}

/**
 * The meeting's program, as the chair runs it in the busiest hour: pushed to an SRT listener on this machine
 * (a broadcaster's) and recorded. What arrives is kept in a temp file and read afterwards with ffmpeg.
 */
export class ProgramProbe {
  readonly #base: string;
  readonly #meetingId: string;
  readonly #token: string;
  readonly #dir: string;
  readonly #receiver: ReturnType<typeof receiveStream>;
  readonly #recordingId: string;
  readonly #startedAt = performance.now();

  private constructor(
    base: string,
    meetingId: string,
    token: string,
    dir: string,
    receiver: ReturnType<typeof receiveStream>,
    recordingId: string,
  ) {
    this.#base = base;
    this.#meetingId = meetingId;
    this.#token = token;
    this.#dir = dir;
    this.#receiver = receiver;
    this.#recordingId = recordingId;
  }

  /** Starts the push and the recording; the listener keeps at most `seconds` of what arrives. */
  static async start(base: string, meetingId: string, seconds: number): Promise<ProgramProbe> {
    const { token } = await signIn(base, 'chu-toa');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-load-program-'));
    const url = `srt://127.0.0.1:${await freeUdpAndTcpPort()}`;
    const receiver = receiveStream(url, path.join(dir, 'program.ts'), seconds);
    try {
      await hubRequest(base, token, 'POST', `/api/meetings/${meetingId}/outputs`, { url });
      const recording = await hubRequest<MeetingRecordingDto>(base, token, 'POST', `/api/meetings/${meetingId}/recordings`);
      return new ProgramProbe(base, meetingId, token, dir, receiver, recording.id);
    } catch (error) {
      receiver.process.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The recording's size so far, bytes. */
  async recordedBytes(): Promise<number> {
    const { recordings } = await hubRequest<{ recordings: MeetingRecordingDto[] }>(
      this.#base,
      this.#token,
      'GET',
      `/api/meetings/${this.#meetingId}/recordings`,
    );
    return recordings.find((r) => r.id === this.#recordingId)?.bytes ?? 0;
  }

  /**
   * Stops the listener and reads what it received from `windowStart` on (a performance.now() time: after the
   * program settled on the speaker), then cleans up.
   */
  async finish(recordedBytes: number, windowStart = this.#startedAt, recordingBytes = recordedBytes): Promise<ProgramReport> {
    this.#receiver.process.kill('SIGINT');
    await this.#receiver.ended;
    await hubRequest(this.#base, this.#token, 'POST', `/api/meetings/${this.#meetingId}/recordings/${this.#recordingId}/stop`);
    try {
      const file = path.join(this.#dir, 'program.ts');
      const { stderr } = await run(
        'ffmpeg',
        ['-hide_banner', '-nostdin', '-i', file, '-map', '0:v:0', '-vf', 'freezedetect=n=0.001:d=0.2,showinfo', '-f', 'null', '-'],
        { maxBuffer: 256 * 1024 * 1024 },
      );
      const allTimes = [...stderr.matchAll(/pts_time:\s*([\d.]+)/g)].map((m) => Number(m[1]));
      // the file begins when the push began: the window starts that much later
      const from = (allTimes[0] ?? 0) + (windowStart - this.#startedAt) / 1000;
      const times = allTimes.filter((t) => t >= from);
      const starts = [...stderr.matchAll(/freeze_start:\s*([\d.]+)/g)].map((m) => Number(m[1]));
      const freezes = [...stderr.matchAll(/freeze_duration:\s*([\d.]+)/g)]
        .map((m, i) => ({ start: starts[i] ?? 0, ms: Number(m[1]) * 1000 }))
        .filter((freeze) => freeze.start >= from)
        .map((freeze) => freeze.ms);
      const span = times.length > 1 ? times.at(-1)! - times[0]! : 0;
      return {
        fps: span > 0 ? Math.round(((times.length - 1) / span) * 10) / 10 : 0,
        pictures: allTimes.length,
        freezes: freezes.length,
        freezeMaxMs: Math.round(Math.max(0, ...freezes)),
        recordedMb: Math.round((recordedBytes / 1e6) * 10) / 10,
        recordingMb: Math.round((recordingBytes / 1e6) * 10) / 10,
      };
    } finally {
      fs.rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}

/** Every camera of the hub recorded (ALWAYS), as the province records its counters; how many. */
export async function recordAllCameras(base: string): Promise<number> {
  const { token } = await signIn(base, 'admin');
  const cameras = await hubRequest<Array<{ id: number }>>(base, token, 'GET', '/api/cameras');
  for (const camera of cameras) await hubRequest(base, token, 'PATCH', `/api/cameras/${camera.id}`, { recordMode: 'ALWAYS' });
  return cameras.length;
}
