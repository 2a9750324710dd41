/** A meeting's program: what it shows and says to the outside, where it is pushed, and its recordings. */
import { z } from 'zod';
import { mediaUrlSchema, rawQueryPairs } from './urls.js';

/**
 * What the program shows, the chair's choice: the active speaker (the default), the site holding the
 * floor, the spotlighted site, or the presentation. A choice with nobody in it (no presentation now)
 * shows the active speaker.
 */
export const programSources = ['speaker', 'floor', 'spotlight', 'presentation'] as const;
export type ProgramSource = (typeof programSources)[number];
export const setProgramSchema = z.strictObject({ source: z.enum(programSources) });

/**
 * What an srt:// destination's query may set: libsrt's options in ffmpeg (they are handed to it as
 * options, its passphrase off the command line). Not `mode`: the hub calls the listener.
 */
export const srtOutputOptions = [
  'passphrase',
  'pbkeylen',
  'latency',
  'rcvlatency',
  'peerlatency',
  'streamid',
  'srt_streamid',
  'enforced_encryption',
  'kmrefreshrate',
  'kmpreannounce',
  'connect_timeout',
  'timeout',
  'maxbw',
  'inputbw',
  'oheadbw',
  'payload_size',
  'pkt_size',
  'mss',
  'ffs',
  'ipttl',
  'iptos',
  'tlpktdrop',
  'nakreport',
  'sndbuf',
  'rcvbuf',
  'snddropdelay',
  'lossmaxttl',
  'minversion',
  'transtype',
  'smoother',
  'messageapi',
  'linger',
  'tsbpd',
  'tsbpddelay',
  'send_buffer_size',
  'recv_buffer_size',
] as const;

/** Where the program may be pushed: an RTMP(S) server's app and stream key, or an SRT listener. */
export const outputUrlSchema = mediaUrlSchema(/^(rtmps?|srt)$/, 'validation.outputUrl')
  .refine((url) => new URL(url).hostname !== '', 'validation.outputServer')
  .refine((url) => new URL(url).port !== '' || !url.startsWith('srt:'), 'validation.srtPort')
  .refine((url) => {
    const { username, password } = new URL(url);
    return username === '' && password === '';
  }, 'validation.noCredentialsInUrl')
  .superRefine((url, context) => {
    const parsed = new URL(url);
    if (parsed.protocol !== 'srt:') return;
    for (const { name, value } of rawQueryPairs(parsed))
      if (!value || !(srtOutputOptions as readonly string[]).includes(name))
        context.addIssue({
          code: 'custom',
          message: 'validation.srtOption',
          params: { name, allowed: srtOutputOptions.join(', ') },
        });
  });
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
  /** Its picture is in the program; false while the program waits for its first key frame (the last picture stays). */
  showingPicture: boolean;
  outputs: ProgramOutputDto[];
  recording: RecordingNotice | null;
}

export const idleProgramState = (): ProgramState => ({
  source: 'speaker',
  showing: null,
  showingPicture: false,
  outputs: [],
  recording: null,
});

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
