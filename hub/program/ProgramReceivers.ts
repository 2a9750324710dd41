import type { MeetingRoom, ProgramSender, ProgramTap } from '../../media-server/index.js';
import type { MixCodec, ProgramComposer } from '../../program/index.js';
import { speakerViewSource, type ShownSource } from './shownSource.js';

/**
 * Someone the program is sent to over RTP (a SIP call, a peer of the room): the program's picture (while it is the
 * one shown, the speaker view: the previous speaker), and the mix without its own voice.
 */
export interface ProgramReceiver {
  /** The receiver's own microphone in the meeting, left out of what it hears (undefined: none). */
  microphoneProducerId(): string | undefined;
  /** What it takes its mix in. */
  readonly audioCodec: MixCodec;
  /** The producer to consume for its picture or its sound; told again whenever it changes. */
  send(kind: 'video' | 'audio', producerId: string): void;
  /**
   * A receiver with a content channel (a room system's, BFCP): the meeting's presentation to consume there, as it is
   * (another site's screen; null: nobody else presents). Told when it changes.
   */
  sendContent?(producerId: string | null): void;
}

/** The meeting as the program follows it now. */
export interface FollowedProgram {
  room: MeetingRoom;
  composer: ProgramComposer;
  tap: ProgramTap;
  /** What the program shows, and what it showed before another site's. */
  shown: ShownSource | null;
  previous: ShownSource | null;
  /** The meeting's presentation now (a site's screen). */
  presentation: ShownSource | null;
}

interface Sending {
  room: MeetingRoom;
  sender: ProgramSender;
  /** The receivers sent their mix and picture already. */
  served: Set<string>;
  /** While a receiver is the one shown: the speaker view's producer, and the receiver it is sent to. */
  speakerView?: { producerId: string; viewerId?: string };
}

/**
 * The SIP calls a meeting's program is sent to: the program sent back into the room (`ProgramSender`), one
 * picture for all of them, a mix-minus each, and the speaker view for the one that is shown (as an MCU shows the
 * current speaker the previous one). `MeetingProgram` has it follow the meeting at each of its checks.
 */
export class ProgramReceivers {
  readonly #receivers = new Map<string, ProgramReceiver>();
  /** The presentation each receiver with a content channel was told last. */
  readonly #contentSent = new Map<string, string | null>();
  readonly #hostCode: () => string;
  #sending: Sending | undefined;

  constructor(deps: { hostCode: () => string }) {
    this.#hostCode = deps.hostCode;
  }

  get size(): number {
    return this.#receivers.size;
  }

  add(receiverId: string, receiver: ProgramReceiver): void {
    this.#receivers.set(receiverId, receiver);
  }

  remove(receiverId: string, composer: ProgramComposer | undefined): void {
    this.#receivers.delete(receiverId);
    this.#contentSent.delete(receiverId);
    composer?.stopMixMinus(receiverId);
    this.#sending?.sender.dropMix(receiverId);
    this.#sending?.served.delete(receiverId);
  }

  /** The program's media are gone (a new composer, or the room closed): everything is sent anew at the next follow. */
  reset(composer?: ProgramComposer): void {
    this.#sending?.sender.close();
    this.#sending = undefined;
    this.#contentSent.clear();
    composer?.show(null, 'speakerView');
    composer?.sendVideo(null, { view: 'speakerView' });
  }

  close(): void {
    this.reset();
    this.#receivers.clear();
  }

  /** The receivers get the program: the shared picture (or the speaker view) and a mix-minus each, produced into the room. */
  async follow(program: FollowedProgram): Promise<void> {
    const { room, composer } = program;
    if (this.#sending && (this.#sending.sender.closed || this.#sending.room !== room)) this.reset(composer);
    if (this.#receivers.size === 0) {
      if (!this.#sending) return;
      await this.#endSpeakerView(program);
      this.reset(composer);
      composer.sendVideo(null);
      return;
    }
    if (!this.#sending) {
      const sender = await room.openProgramSender();
      if (composer.closed) return sender.close();
      sender.on('keyFrameRequested', (view) => composer.requestVideoKeyFrame(view));
      composer.sendVideo(sender.video);
      this.#sending = { room, sender, served: new Set() };
    }
    const sending = this.#sending;
    for (const [receiverId, receiver] of this.#receivers) {
      if (sending.served.has(receiverId)) continue;
      const mix = await sending.sender.mixFor(receiverId, receiver.audioCodec);
      // removed meanwhile: remove() found nothing to drop yet
      if (this.#receivers.get(receiverId) !== receiver || sending.sender.closed) {
        sending.sender.dropMix(receiverId);
        continue;
      }
      composer.sendMixMinus(
        receiverId,
        mix,
        () => {
          const own = receiver.microphoneProducerId();
          return own === undefined ? undefined : program.tap.microphoneSsrc(own);
        },
        receiver.audioCodec,
      );
      sending.served.add(receiverId);
      receiver.send('audio', mix.producerId);
      const speakerView = sending.speakerView;
      receiver.send('video', speakerView?.viewerId === receiverId ? speakerView.producerId : sending.sender.video.producerId);
    }
    await this.#followSpeakerView(program);
    this.#followContent(program.presentation);
  }

  /** The receivers with a content channel are sent the presentation, unless it is their own (a room system presenting). */
  #followContent(presentation: ShownSource | null): void {
    for (const [receiverId, receiver] of this.#receivers) {
      if (!receiver.sendContent) continue;
      const content = presentation && presentation.peerId !== receiverId ? presentation.producerId : null;
      if (this.#contentSent.get(receiverId) === content) continue;
      this.#contentSent.set(receiverId, content);
      receiver.sendContent(content);
    }
  }

  /**
   * A receiver shown in the program would see itself: it is sent the speaker view instead (the previous speaker,
   * decoded and encoded a second time while this lasts), and the program again once another site is shown.
   */
  async #followSpeakerView(program: FollowedProgram): Promise<void> {
    const sending = this.#sending;
    if (!sending) return;
    const { room, composer, tap, shown } = program;
    const viewerId = shown && this.#receivers.has(shown.peerId) ? shown.peerId : undefined;
    const source = viewerId ? speakerViewSource(room, viewerId, program.previous, this.#hostCode()) : null;
    if (!viewerId || !source) return this.#endSpeakerView(program);
    if (source.producerId !== tap.shownProducerId('speakerView'))
      await tap.show(source.producerId, (video) => composer.show(video, 'speakerView'), 'speakerView');
    if (!sending.speakerView) {
      const stream = await sending.sender.speakerView();
      composer.sendVideo(stream, { view: 'speakerView' });
      sending.speakerView = { producerId: stream.producerId };
    }
    if (sending.speakerView.viewerId === viewerId) return;
    const before = sending.speakerView.viewerId;
    sending.speakerView.viewerId = viewerId;
    if (before) this.#receivers.get(before)?.send('video', sending.sender.video.producerId);
    this.#receivers.get(viewerId)?.send('video', sending.speakerView.producerId);
  }

  async #endSpeakerView({ composer, tap }: FollowedProgram): Promise<void> {
    const sending = this.#sending;
    if (!sending?.speakerView) return;
    const { viewerId } = sending.speakerView;
    sending.speakerView = undefined;
    // back to the program's picture before the speaker view's producer goes (and its consumer with it)
    if (viewerId) this.#receivers.get(viewerId)?.send('video', sending.sender.video.producerId);
    composer.sendVideo(null, { view: 'speakerView' });
    composer.show(null, 'speakerView');
    await tap.show(null, () => undefined, 'speakerView');
    sending.sender.closeSpeakerView();
  }
}
