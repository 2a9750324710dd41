import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { MeetingRoom, ProgramTap } from '../../media-server/index.js';
import { OutputPusher, ProgramComposer, SegmentRecorder, type ProgramComposerOptions } from '../../program/index.js';
import type { ProgramOutputDto } from '../../shared/program.js';
import { ProgramReceivers, type ProgramReceiver } from './ProgramReceivers.js';
import { presentationSource, shownSource, type ProgramChoice, type ShownSource } from './shownSource.js';

/** How often the program checks what it should show (the speaker, the floor, a new camera) and hears. */
const followEveryMs = 300;
/** A source shown this long without a picture is told in the log, with what the SFU and the composer saw of it. */
const blackWarningAfterMs = 10_000;

export type MeetingProgramEvents = {
  /** What it shows, or an output's state, changed: the chair's console follows. */
  changed: [];
};

export interface MeetingProgramDeps {
  meetingId: string;
  /** The meeting's room while anyone is in it. */
  room(): Promise<MeetingRoom | undefined>;
  /** The chair's choice and the meeting's floor, spotlight and presentation now. */
  choice(): ProgramChoice;
  log: FastifyBaseLogger;
  composer?: Partial<ProgramComposerOptions>;
  /** A voice's Opus could not be decoded (counted for the metrics). */
  voiceDecodeError?: () => void;
}

interface Output {
  id: string;
  maskedUrl: string;
  createdAt: Date;
  pusher: OutputPusher;
}

/**
 * One live meeting's program while it is pushed or recorded: a composer, the room's tap feeding it,
 * the outputs pushing it and the recorder writing it. It follows the meeting on its own: a tap on the
 * room whenever there is one (again after the room closed and opened, or its worker died), and the
 * source the chair's choice points at.
 */
export class MeetingProgram extends EventEmitter<MeetingProgramEvents> {
  readonly meetingId: string;
  readonly #deps: MeetingProgramDeps;
  readonly #outputs = new Map<string, Output>();
  #recorder: { id: string; writer: SegmentRecorder } | undefined;
  #composer: ProgramComposer | undefined;
  /** A composer is being started: no other is started meanwhile (it would run on, nobody's, until the hub stops). */
  #composerStarting = false;
  #tap: { room: MeetingRoom; tap: ProgramTap } | undefined;
  readonly #receivers: ProgramReceivers;
  /** What the program shows now, and what it showed before another site's (the speaker view's source). */
  #shown: ShownSource | null = null;
  #previous: ShownSource | null = null;
  #showing: string | null = null;
  /** When the shown source was shown, until its first picture or the warning that none came. */
  #awaitingPictureSince: number | undefined;
  #showingPicture = false;
  #timer: NodeJS.Timeout | undefined;
  #following = false;
  #closed = false;

  constructor(deps: MeetingProgramDeps) {
    super();
    this.meetingId = deps.meetingId;
    this.#deps = deps;
    this.#receivers = new ProgramReceivers({ hostCode: () => deps.choice().hostCode });
    this.#timer = setInterval(() => this.#tick(), followEveryMs);
  }

  /** The site or feed shown now. */
  get showing(): string | null {
    return this.#showing;
  }

  /** Its picture is in the program (false while the program waits for its first key frame). */
  get showingPicture(): boolean {
    return this.#showingPicture;
  }

  /** Nothing to push, record or send any more. */
  get idle(): boolean {
    return this.#outputs.size === 0 && !this.#recorder && this.#receivers.size === 0;
  }

  /** Sends the program to `receiver` from now on (a SIP call, by its peer id): its streams come through `receiver.send`. */
  addReceiver(receiverId: string, receiver: ProgramReceiver): void {
    this.#receivers.add(receiverId, receiver);
    this.#ensureComposer();
    this.#tick();
  }

  removeReceiver(receiverId: string): void {
    this.#receivers.remove(receiverId, this.#composer);
  }

  get recordingId(): string | undefined {
    return this.#recorder?.id;
  }

  outputs(): ProgramOutputDto[] {
    return [...this.#outputs.values()].map((o) => ({
      id: o.id,
      url: o.maskedUrl,
      state: o.pusher.state,
      error: o.pusher.state === 'live' ? null : o.pusher.lastError,
      createdAt: o.createdAt.toISOString(),
    }));
  }

  addOutput(output: { id: string; url: string; maskedUrl: string; createdAt: Date }): void {
    if (this.#outputs.has(output.id)) return;
    const pusher = new OutputPusher(output.url);
    pusher.on('state', (state, error) => {
      this.#deps.log.info({ meetingId: this.meetingId, outputId: output.id, state, error }, 'program output');
      this.emit('changed');
    });
    this.#outputs.set(output.id, { ...output, pusher });
    this.#ensureComposer();
    this.#followOutputs();
  }

  removeOutput(outputId: string): void {
    this.#outputs.get(outputId)?.pusher.close();
    this.#outputs.delete(outputId);
    this.#followOutputs();
  }

  /** The MPEG-TS is encoded for the outputs and the recording; SIP calls alone take only the RTP encodes. */
  #wantsTransportStream(): boolean {
    return this.#outputs.size > 0 || this.#recorder !== undefined;
  }

  /** The composer encodes the MPEG-TS while an output or the recording takes it, and only then. */
  #followOutputs(): void {
    this.#composer?.encodeTransportStream(this.#wantsTransportStream());
  }

  /** Records the program into `directory` (segments), from now on; `paused`: not until `resumeRecording`. */
  record(recordingId: string, directory: string, paused = false): void {
    if (this.#recorder) return;
    const writer = new SegmentRecorder(directory, { paused });
    writer.on('restarted', (reason) => this.#deps.log.warn({ meetingId: this.meetingId, reason }, 'the recording writer restarted'));
    this.#recorder = { id: recordingId, writer };
    this.#ensureComposer();
    this.#followOutputs();
  }

  /** The recording writes nothing (its segment under way finished) until `resumeRecording`; the program goes on. */
  async pauseRecording(): Promise<void> {
    const recorder = this.#recorder;
    if (recorder) await this.#letGo('recording writer', () => recorder.writer.pause());
  }

  resumeRecording(): void {
    this.#recorder?.writer.resume();
  }

  /** The recording's last segment is finished (or, if its writer cannot finish it, let go: the stop stands). */
  async stopRecording(): Promise<void> {
    const recorder = this.#recorder;
    this.#recorder = undefined;
    if (recorder) await this.#letGo('recording writer', () => recorder.writer.stop());
    this.#followOutputs();
  }

  /** Everything stops, each part whatever the others do: a meeting's end or a hub's stop is never held up here. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const output of this.#outputs.values()) await this.#letGo('output', () => output.pusher.close());
    this.#outputs.clear();
    await this.stopRecording();
    const [tap, composer] = [this.#tap, this.#composer];
    if (tap) await this.#letGo('tap', () => tap.tap.close());
    await this.#letGo('sender', () => this.#receivers.close());
    if (composer) await this.#letGo('composer', () => composer.close());
  }

  async #letGo(part: string, stop: () => unknown): Promise<void> {
    try {
      await stop();
    } catch (err) {
      this.#deps.log.error({ err, meetingId: this.meetingId }, `the program's ${part} did not stop cleanly`);
    }
  }

  #ensureComposer(): void {
    if (this.#composerStarting || (this.#composer && !this.#composer.closed)) return;
    this.#composerStarting = true;
    this.#composer = undefined;
    this.#tap?.tap.close();
    this.#tap = undefined;
    this.#receivers.reset();
    ProgramComposer.start({ ...this.#deps.composer, transportStream: this.#wantsTransportStream() })
      .then((composer) => {
        if (this.#closed) return composer.close();
        this.#composer = composer;
        // an output or the recording may have come, or gone, while it started
        this.#followOutputs();
        composer.on('data', (chunk) => {
          for (const output of this.#outputs.values()) output.pusher.write(chunk);
          this.#recorder?.writer.write(chunk);
        });
        composer.on('keyFrameNeeded', (view) => {
          this.#tap?.tap.requestKeyFrame(view).catch((err: unknown) => this.#deps.log.warn({ err }, 'program key frame request failed'));
        });
        let decodeErrors = 0;
        composer.on('voiceDecodeError', (ssrc, reason) => {
          this.#deps.voiceDecodeError?.();
          // logged at the first, the tenth, the hundredth…: a broken stream is told, not repeated 50 times a second
          if (Number.isInteger(Math.log10(++decodeErrors)))
            this.#deps.log.warn(
              { meetingId: this.meetingId, ssrc, reason, decodeErrors },
              "a voice of the program's mix could not be decoded",
            );
        });
        composer.on('rtpOutFailed', (kind, reason) =>
          this.#deps.log.error(
            { meetingId: this.meetingId, kind, reason },
            "the program's RTP encoder for SIP calls failed: starting it again",
          ),
        );
        composer.on('failed', (reason) => {
          this.#deps.log.error({ meetingId: this.meetingId, reason }, "the program's encoder failed: composing again");
          if (!this.#closed) this.#ensureComposer();
        });
        this.#tick();
      })
      .catch((err: unknown) => this.#deps.log.error({ err, meetingId: this.meetingId }, 'the program could not start'))
      .finally(() => (this.#composerStarting = false));
  }

  #tick(): void {
    if (this.#following || this.#closed) return;
    this.#following = true;
    this.#follow()
      .catch((err: unknown) => this.#deps.log.warn({ err, meetingId: this.meetingId }, 'the program could not follow the meeting'))
      .finally(() => (this.#following = false));
  }

  /** Taps the room (again, if it changed) and shows what the choice points at. */
  async #follow(): Promise<void> {
    const composer = this.#composer;
    if (!composer || composer.closed) return;
    const room = await this.#deps.room();
    if (this.#tap && (this.#tap.tap.closed || this.#tap.room !== room)) {
      this.#tap.tap.close();
      this.#tap = undefined;
      composer.show(null);
      this.#receivers.reset(composer);
      this.#shown = null;
      this.#setShowing(null);
    }
    if (!room || room.closed) return;
    if (!this.#tap) {
      const { video, audio } = composer.ports;
      const tap = await room.openProgramTap({ videoPort: video, audioPort: audio });
      // closed meanwhile: the tap would feed nothing until the room closed
      if (this.#closed || composer.closed) return tap.close();
      this.#tap = { room, tap };
    }
    const { tap } = this.#tap;
    await tap.addMicrophones();
    const wanted = shownSource(room, this.#deps.choice(), tap.shownProducerId());
    if ((wanted?.producerId ?? undefined) === tap.shownProducerId()) await this.#watchPicture(composer, tap);
    else {
      // the composer asks for the new source's key frame (keyFrameNeeded) until it comes
      await tap.show(wanted?.producerId ?? null, (video) => composer.show(video));
      this.#awaitingPictureSince = wanted ? Date.now() : undefined;
      this.#setShowingPicture(false);
      if (this.#shown && this.#shown.peerId !== wanted?.peerId) this.#previous = this.#shown;
      this.#shown = wanted;
      this.#setShowing(wanted?.code ?? null);
    }
    await this.#receivers.follow({
      room,
      composer,
      tap,
      shown: this.#shown,
      previous: this.#previous,
      presentation: presentationSource(room, this.#deps.choice().presenterCode),
    });
  }

  /**
   * Whether the shown source's picture has come (every page is told); one that gives none leaves the program on the
   * last picture: told once in the log, with what each stage saw of it.
   */
  async #watchPicture(composer: ProgramComposer, tap: ProgramTap): Promise<void> {
    const composed = composer.shownVideo();
    this.#setShowingPicture(this.#showing !== null && composed.pictures > 0);
    if (this.#awaitingPictureSince === undefined) return;
    if (composed.pictures > 0) return void (this.#awaitingPictureSince = undefined);
    if (Date.now() - this.#awaitingPictureSince < blackWarningAfterMs) return;
    this.#awaitingPictureSince = undefined;
    const sfu = await tap.shownState();
    this.#deps.log.warn({ meetingId: this.meetingId, showing: this.#showing, composed, sfu }, 'the program shows no picture of its source');
  }

  #setShowingPicture(pictured: boolean): void {
    if (pictured === this.#showingPicture) return;
    this.#showingPicture = pictured;
    this.emit('changed');
  }

  #setShowing(code: string | null): void {
    if (code === this.#showing) return;
    this.#showing = code;
    this.emit('changed');
  }
}
