/** A meeting's program: what it shows and says to the outside, where it is pushed, and its recordings. */
import { z } from 'zod';
import { mediaUrlSchema } from './urls.js';

/**
 * What the program shows, the chair's choice: the active speaker (the default), the site holding the
 * floor, the spotlighted site, or the presentation. A choice with nobody in it (no presentation now)
 * shows the active speaker.
 */
export const programSources = ['speaker', 'floor', 'spotlight', 'presentation'] as const;
export type ProgramSource = (typeof programSources)[number];
export const setProgramSchema = z.strictObject({ source: z.enum(programSources) });

/** Where the program may be pushed: an RTMP(S) server's app and stream key, or an SRT listener. */
export const outputUrlSchema = mediaUrlSchema(
  'url',
  /^(rtmps?|srt)$/,
  'url: rtmp://server/app/stream-key, rtmps://…, or srt://host:port (with ?passphrase=… if it asks for one)',
)
  .refine((url) => new URL(url).hostname !== '', 'url: name the server (rtmp://server/app/stream-key)')
  .refine((url) => new URL(url).port !== '' || !url.startsWith('srt:'), 'url: an srt:// destination needs its port');
export const createOutputSchema = z.strictObject({ url: outputUrlSchema });
export type CreateOutputRequest = z.infer<typeof createOutputSchema>;

export const outputStates = ['connecting', 'live', 'retrying'] as const;

/** A destination as the chair's console shows it: its secret (stream key, passphrase) left out. */
export interface ProgramOutputDto {
  id: string;
  url: string;
  state: (typeof outputStates)[number];
  /** Why the last push ended, while it connects again. */
  error: string | null;
  createdAt: string;
}

/** The recording under way, as every page shows it. */
export interface RecordingNotice {
  id: string;
  startedAt: string;
  startedBy: string;
  /** Nothing is written while the recordings' disk has less than RECORDING_MIN_FREE_GB free; it goes on by itself. */
  paused: boolean;
}

export interface ProgramState {
  source: ProgramSource;
  /** The site (or feed) the program shows now; null: nobody (a black picture). */
  showing: string | null;
  outputs: ProgramOutputDto[];
  recording: RecordingNotice | null;
}

export const idleProgramState = (): ProgramState => ({ source: 'speaker', showing: null, outputs: [], recording: null });

export interface MeetingRecordingDto {
  id: string;
  meetingId: string;
  startedAt: string;
  startedBy: string;
  /** null while it records. */
  endedAt: string | null;
  stoppedBy: string | null;
  segments: number;
  bytes: number;
}
