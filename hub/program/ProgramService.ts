import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { CredentialCipher } from '../../camera-gateway/index.js';
import type { MeetingRoom } from '../../media-server/index.js';
import type { Db } from '../../prisma/index.js';
import { joinSegments, listSegments, type ProgramComposerOptions, type RecordingChapters } from '../../program/index.js';
import { FreeSpaceWatch } from '../../storage/index.js';
import type { MeetingStatus } from '../../shared/meetings.js';
import { z } from 'zod';
import {
  outputUrlSchema,
  type MeetingRecordingDto,
  type ProgramOutputDto,
  type ProgramSource,
  type ProgramState,
} from '../../shared/program.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { LiveMeeting, LiveMeetingRegistry, MeetingStore } from '../meetings/index.js';
import { MeetingProgram } from './MeetingProgram.js';
import type { ProgramReceiver } from './ProgramReceivers.js';
import { ProgramError } from './ProgramError.js';
import type { DestinationPolicy } from '../destinations/index.js';
import { renderMessage, said } from '../../shared/messages/index.js';

/** What the meetings side offers the program: the meetings' states, and a live meeting's room. */
export interface ProgramHost {
  meetings: LiveMeetingRegistry;
  existingRoom(meetingId: string): Promise<MeetingRoom | undefined>;
  onStatusChange(listener: (meetingId: string, status: MeetingStatus) => void): void;
}

export interface ProgramOptions {
  /** Where meeting recordings are written (MEETING_RECORDINGS_DIR): <meetingId>/<recordingId>/segment-NNNNN.ts. */
  recordingsDir: string;
  /** Below this much free space on the recordings' disk, recordings pause (RECORDING_MIN_FREE_GB). Default 1 GiB. */
  minFreeBytes?: number;
  /** How often the free space is read. Default 5 s. */
  spaceCheckMs?: number;
  composer?: Partial<ProgramComposerOptions>;
}

type RecordingRow = {
  id: string;
  meetingId: string;
  startedAt: Date;
  endedAt: Date | null;
  startedBy: { displayName: string };
  stoppedBy: { displayName: string } | null;
};
const recordingInclude = { startedBy: { select: { displayName: true } }, stoppedBy: { select: { displayName: true } } } as const;

/** A destination's address without its secret: RTMP's stream key and SRT's query (passphrase, stream id) left out. */
export function maskOutputUrl(url: string): string {
  const parsed = new URL(url);
  // rtmp://host/app/key: the app shown; a single segment (rtmp://host/key) may be the key itself
  const segments = parsed.pathname.split('/').filter(Boolean);
  const app = parsed.protocol.startsWith('rtmp') && segments.length >= 2 ? segments[0]! : '';
  return `${parsed.protocol}//${parsed.host}${app ? `/${app}/…` : parsed.pathname.length > 1 ? '/…' : ''}`;
}

/**
 * The meetings' programs: per live meeting, what the chair chose to show, the destinations it is pushed
 * to (kept in the database, their secrets sealed) and its recordings. A meeting's program is composed
 * while it has an output or a recording (`MeetingProgram`), and stops with the meeting.
 */
export class ProgramService {
  readonly #prisma: Db;
  readonly #store: MeetingStore;
  readonly #host: ProgramHost;
  readonly #cipher: CredentialCipher;
  readonly #log: FastifyBaseLogger;
  readonly #destinations: DestinationPolicy;
  readonly #options: ProgramOptions;
  readonly #programs = new Map<string, MeetingProgram>();
  readonly #space: FreeSpaceWatch;
  #voiceDecodeErrors = 0;

  constructor(deps: {
    prisma: Db;
    store: MeetingStore;
    host: ProgramHost;
    cipher: CredentialCipher;
    log: FastifyBaseLogger;
    options: ProgramOptions;
    /** Where outputs may go (OUTPUT_ALLOWED_SUBNETS; never the hub's own services). */
    destinations: DestinationPolicy;
  }) {
    this.#destinations = deps.destinations;
    this.#prisma = deps.prisma;
    this.#store = deps.store;
    this.#host = deps.host;
    this.#cipher = deps.cipher;
    this.#log = deps.log;
    this.#options = deps.options;
    this.#space = new FreeSpaceWatch(deps.options.recordingsDir, {
      minFreeBytes: deps.options.minFreeBytes ?? 1024 ** 3,
      checkEveryMs: deps.options.spaceCheckMs ?? 5000,
    });
    this.#space.on('changed', (full, freeBytes) => {
      this.#log.warn(
        { recordingsDir: deps.options.recordingsDir, freeBytes },
        full ? 'recordings paused: the disk is nearly full' : 'recordings go on: the disk has room again',
      );
      this.#spaceChanged(full).catch((err: unknown) => this.#log.error({ err }, 'the recordings did not follow the free space'));
    });
    deps.host.onStatusChange((meetingId, status) => {
      this.#meetingStatus(meetingId, status).catch((err: unknown) =>
        this.#log.error({ err, meetingId }, 'the program did not follow the meeting'),
      );
    });
  }

  /**
   * At start-up: the live meetings' outputs push again and their recordings go on (into the same
   * recording, after the gap); a recording of a meeting no longer live is closed at its last segment.
   */
  /** Voices' Opus packets the programs' mixes could not decode, since the hub started. */
  get voiceDecodeErrors(): number {
    return this.#voiceDecodeErrors;
  }

  async start(): Promise<void> {
    const open = await this.#prisma.meetingRecording.findMany({
      where: { endedAt: null },
      include: { meeting: { select: { status: true } } },
    });
    for (const row of open) {
      if (row.meeting.status === 'LIVE') continue;
      const last = listSegments(this.#directory(row.meetingId, row.id)).at(-1);
      const endedAt = last ? fs.statSync(last.file).mtime : row.startedAt;
      await this.#prisma.meetingRecording.update({ where: { id: row.id }, data: { endedAt } });
    }
    const live = await this.#prisma.meeting.findMany({
      where: { status: 'LIVE', OR: [{ outputs: { some: { removedAt: null } } }, { recordings: { some: { endedAt: null } } }] },
      select: { id: true },
    });
    for (const { id } of live) await this.#resume(id);
  }

  async state(meetingId: string): Promise<ProgramState> {
    return (await this.#host.meetings.get(meetingId)).program;
  }

  async setSource(meetingId: string, user: AuthenticatedUser, source: ProgramSource): Promise<ProgramState> {
    const live = await this.#host.meetings.get(meetingId);
    live.program = { ...live.program, source };
    this.#host.meetings.changed(live);
    await this.#store.chairActions.record(meetingId, user.id, 'programSource', null, source);
    return live.program;
  }

  async addOutput(meetingId: string, user: AuthenticatedUser, url: string): Promise<ProgramOutputDto> {
    await this.#destinations.check(new URL(url));
    const row = await this.#prisma.meetingOutput.create({
      data: { id: randomBytes(4).toString('hex'), meetingId, urlCipher: this.#cipher.encrypt(url), createdById: user.id },
    });
    const live = await this.#host.meetings.get(meetingId);
    if (live.status === 'LIVE') this.#program(live).addOutput({ id: row.id, url, maskedUrl: maskOutputUrl(url), createdAt: row.createdAt });
    this.#refresh(live);
    return (await this.listOutputs(meetingId)).find((o) => o.id === row.id)!;
  }

  /** Each destination, and (while the meeting is live) how its push goes. */
  async listOutputs(meetingId: string): Promise<ProgramOutputDto[]> {
    const rows = await this.#prisma.meetingOutput.findMany({ where: { meetingId, removedAt: null }, orderBy: { createdAt: 'asc' } });
    const running = new Map(
      this.#programs
        .get(meetingId)
        ?.outputs()
        .map((o) => [o.id, o]),
    );
    return rows.map(
      (row) =>
        running.get(row.id) ?? {
          id: row.id,
          url: maskOutputUrl(this.#cipher.decrypt(row.urlCipher)),
          state: 'connecting' as const,
          error: renderMessage(said('meeting.notLive')),
          createdAt: row.createdAt.toISOString(),
        },
    );
  }

  async removeOutput(meetingId: string, outputId: string): Promise<void> {
    const { count } = await this.#prisma.meetingOutput.updateMany({
      where: { id: outputId, meetingId, removedAt: null },
      data: { removedAt: new Date() },
    });
    if (count === 0) throw new ProgramError('NOT_FOUND', said('program.outputNotFound', { id: outputId }));
    this.#programs.get(meetingId)?.removeOutput(outputId);
    await this.#settle(meetingId);
  }

  async startRecording(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecordingDto> {
    const live = await this.#host.meetings.get(meetingId);
    if (live.status !== 'LIVE') throw new ProgramError('CONFLICT', 'meeting.startFirst');
    if (live.program.recording) throw new ProgramError('CONFLICT', 'program.alreadyRecording');
    if (this.#space.check()) throw new ProgramError('INSUFFICIENT_STORAGE', 'program.diskFull');
    const row = await this.#prisma.meetingRecording.create({
      data: { id: randomBytes(6).toString('hex'), meetingId, startedById: user.id },
      include: recordingInclude,
    });
    this.#program(live).record(row.id, this.#directory(meetingId, row.id));
    live.program = { ...live.program, recording: recordingNotice(row, false) };
    await this.#store.chairActions.record(meetingId, user.id, 'recordingStart', null, row.id);
    this.#refresh(live);
    return this.#recordingDto(row);
  }

  async stopRecording(meetingId: string, recordingId: string, user: AuthenticatedUser | null): Promise<MeetingRecordingDto> {
    const row = await this.#prisma.meetingRecording.findFirst({ where: { id: recordingId, meetingId } });
    if (!row) throw new ProgramError('NOT_FOUND', said('program.recordingNotFound', { id: recordingId }));
    if (row.endedAt) throw new ProgramError('CONFLICT', said('program.recordingStopped', { id: recordingId }));
    const program = this.#programs.get(meetingId);
    if (program?.recordingId === recordingId) await program.stopRecording();
    const stopped = await this.#prisma.meetingRecording.update({
      where: { id: recordingId },
      data: { endedAt: new Date(), stoppedById: user?.id ?? null },
      include: recordingInclude,
    });
    const live = await this.#host.meetings.get(meetingId);
    if (live.program.recording?.id === recordingId) live.program = { ...live.program, recording: null };
    if (user) await this.#store.chairActions.record(meetingId, user.id, 'recordingStop', null, recordingId);
    await this.#settle(meetingId);
    return this.#recordingDto(stopped);
  }

  /** Sends a live meeting's program to `receiver` (a SIP call) until `stopSending`; composed meanwhile if it was not. */
  async send(meetingId: string, receiverId: string, receiver: ProgramReceiver): Promise<void> {
    const live = await this.#host.meetings.get(meetingId);
    if (live.status !== 'LIVE') throw new ProgramError('CONFLICT', 'meeting.startFirst');
    this.#program(live).addReceiver(receiverId, receiver);
  }

  async stopSending(meetingId: string, receiverId: string): Promise<void> {
    const program = this.#programs.get(meetingId);
    if (!program) return;
    program.removeReceiver(receiverId);
    await this.#settle(meetingId);
  }

  async listRecordings(meetingId: string): Promise<MeetingRecordingDto[]> {
    const rows = await this.#prisma.meetingRecording.findMany({
      where: { meetingId },
      orderBy: { startedAt: 'asc' },
      include: recordingInclude,
    });
    return rows.map((row) => this.#recordingDto(row));
  }

  /** The recording as one MP4 in a temporary file: the caller sends it, then disposes of it. */
  async download(meetingId: string, recordingId: string): Promise<{ file: string; bytes: number; startedAt: Date; dispose(): void }> {
    const row = await this.#prisma.meetingRecording.findFirst({ where: { id: recordingId, meetingId } });
    if (!row) throw new ProgramError('NOT_FOUND', said('program.recordingNotFound', { id: recordingId }));
    const segments = listSegments(this.#directory(meetingId, recordingId));
    if (segments.length === 0) throw new ProgramError('NOT_FOUND', said('program.recordingWithoutPicture', { id: recordingId }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-meeting-recording-'));
    const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
      const file = path.join(dir, `${recordingId}.mp4`);
      await joinSegments(
        segments.map((s) => s.file),
        file,
        await this.#chapters(meetingId, { startedAt: row.startedAt, endedAt: row.endedAt ?? new Date() }),
      );
      return { file, bytes: fs.statSync(file).size, startedAt: row.startedAt, dispose };
    } catch (error) {
      dispose();
      throw error;
    }
  }

  /**
   * A chapter per agenda item under way while the recording ran, its times from the recording's start (a pause for
   * want of disk space is not taken out: the chapters after one start that much late).
   */
  async #chapters(meetingId: string, recording: { startedAt: Date; endedAt: Date }): Promise<RecordingChapters> {
    const items = await this.#store.agenda.list(meetingId);
    const startMs = recording.startedAt.getTime();
    const endMs = recording.endedAt.getTime();
    const list = items
      .flatMap((item) =>
        item.spans.map((span) => ({
          title: `${item.position + 1}. ${item.title}`,
          startMs: Math.max(startMs, Date.parse(span.startedAt)) - startMs,
          endMs: Math.min(endMs, span.endedAt ? Date.parse(span.endedAt) : endMs) - startMs,
        })),
      )
      .filter((chapter) => chapter.endMs > chapter.startMs)
      .sort((a, b) => a.startMs - b.startMs);
    return { list, wallMs: endMs - startMs };
  }

  async close(): Promise<void> {
    this.#space.close();
    const programs = [...this.#programs.values()];
    this.#programs.clear();
    await Promise.all(programs.map((p) => p.close()));
  }

  #directory(meetingId: string, recordingId: string): string {
    return path.join(this.#options.recordingsDir, meetingId, recordingId);
  }

  #program(live: LiveMeeting): MeetingProgram {
    let program = this.#programs.get(live.id);
    if (!program) {
      program = new MeetingProgram({
        meetingId: live.id,
        room: () => this.#host.existingRoom(live.id),
        choice: () => ({
          source: live.program.source,
          presenterCode: live.presenterCode,
          floorCode: live.floorCode,
          spotlightCode: live.spotlightCode,
          hostCode: live.record.hostBridgePointCode,
        }),
        log: this.#log,
        composer: this.#options.composer,
        voiceDecodeError: () => this.#voiceDecodeErrors++,
      });
      program.on('changed', () => this.#refresh(live));
      this.#programs.set(live.id, program);
    }
    return program;
  }

  /** The program's state as every page sees it. */
  #refresh(live: LiveMeeting): void {
    const program = this.#programs.get(live.id);
    live.program = {
      source: live.program.source,
      showing: program?.showing ?? null,
      showingPicture: program?.showingPicture ?? false,
      outputs: program?.outputs() ?? [],
      recording: live.program.recording,
    };
    this.#host.meetings.changed(live);
  }

  /** A program with nothing left to do stops. */
  async #settle(meetingId: string): Promise<void> {
    const program = this.#programs.get(meetingId);
    if (program?.idle) {
      this.#programs.delete(meetingId);
      await program.close();
    }
    this.#refresh(await this.#host.meetings.get(meetingId));
  }

  /** A live meeting's outputs and open recording, as they were stored. */
  async #resume(meetingId: string): Promise<void> {
    const live = await this.#host.meetings.get(meetingId);
    const outputs = await this.#prisma.meetingOutput.findMany({ where: { meetingId, removedAt: null } });
    for (const row of outputs) {
      // one that no longer passes as it is stored (a URL the rules now refuse, a secret that does not open): logged and skipped
      let url: string;
      try {
        url = outputUrlSchema.parse(this.#cipher.decrypt(row.urlCipher));
      } catch (err) {
        const reason = err instanceof z.ZodError ? 'its URL is not valid' : 'its secret does not open';
        this.#log.error({ outputId: row.id, meetingId, reason }, 'a stored output is not valid: skipped');
        continue;
      }
      this.#program(live).addOutput({ id: row.id, url, maskedUrl: maskOutputUrl(url), createdAt: row.createdAt });
    }
    const recording = await this.#prisma.meetingRecording.findFirst({ where: { meetingId, endedAt: null }, include: recordingInclude });
    const paused = this.#space.check();
    if (recording) this.#program(live).record(recording.id, this.#directory(meetingId, recording.id), paused);
    live.program = { ...live.program, recording: recording ? recordingNotice(recording, paused) : null };
    this.#refresh(live);
  }

  /** Every recording under way pauses while the disk is nearly full, and goes on once it has room; every page is told. */
  async #spaceChanged(full: boolean): Promise<void> {
    for (const [meetingId, program] of this.#programs) {
      if (!program.recordingId) continue;
      if (full) await program.pauseRecording();
      else program.resumeRecording();
      const live = await this.#host.meetings.get(meetingId);
      if (live.program.recording) live.program = { ...live.program, recording: { ...live.program.recording, paused: full } };
      this.#refresh(live);
    }
  }

  async #meetingStatus(meetingId: string, status: MeetingStatus): Promise<void> {
    if (status === 'LIVE') return this.#resume(meetingId);
    // the meeting ended: its recording stops with it, its outputs stop pushing
    const open = await this.#prisma.meetingRecording.findFirst({ where: { meetingId, endedAt: null } });
    if (open) await this.stopRecording(meetingId, open.id, null);
    const program = this.#programs.get(meetingId);
    this.#programs.delete(meetingId);
    await program?.close();
  }

  #recordingDto(row: RecordingRow): MeetingRecordingDto {
    const segments = listSegments(this.#directory(row.meetingId, row.id));
    return {
      id: row.id,
      meetingId: row.meetingId,
      startedAt: row.startedAt.toISOString(),
      startedBy: row.startedBy.displayName,
      endedAt: row.endedAt?.toISOString() ?? null,
      stoppedBy: row.stoppedBy?.displayName ?? null,
      segments: segments.length,
      bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
    };
  }
}

/** What every page of the meeting shows while it records. */
function recordingNotice(row: RecordingRow, paused: boolean): NonNullable<ProgramState['recording']> {
  return { id: row.id, startedAt: row.startedAt.toISOString(), startedBy: row.startedBy.displayName, paused };
}
