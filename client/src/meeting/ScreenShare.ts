import type { Device, types } from 'mediasoup-client';
import { withIdleRefresh } from './idleFrameRefresh.js';
import type { SignallingChannel } from './SignallingChannel.js';
import { PageError } from '../api/PageError.js';

/**
 * A slide keeps its resolution: one layer up to 1920×1080 at 5–15 fps and 2.5 Mbit/s (Jitsi's and
 * LiveKit's figures); `contentHint 'detail'` makes the encoder drop frames rather than sharpness.
 */
const screenEncoding: RTCRtpEncodingParameters = { maxBitrate: 2_500_000, maxFramerate: 15 };
const screenConstraints: DisplayMediaStreamOptions = {
  video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { ideal: 15, max: 15 } },
  audio: false,
};

export interface ScreenShareDeps {
  channel: SignallingChannel;
  transport: () => types.Transport | undefined;
  device: () => Device | undefined;
  /** The page's own preview of what it presents (undefined: it stopped). */
  onChange: (stream: MediaStream | undefined) => void;
}

/**
 * This site's presentation: the floor is asked for first (the server refuses a second presenter),
 * then the screen, window or tab the user picks is produced as `screen`. It ends when the user stops
 * sharing (the track ends), leaves, or the chair gives the floor to another site.
 */
export class ScreenShare {
  readonly #deps: ScreenShareDeps;
  #producer?: types.Producer;
  #stream?: MediaStream;
  /** Ends the track sent (the capture passed through with its idle refresh). */
  #stopSent?: () => void;

  constructor(deps: ScreenShareDeps) {
    this.#deps = deps;
  }

  get sharing(): boolean {
    return this.#stream !== undefined;
  }

  /** Throws the server's refusal (PRESENTATION_BUSY: another site presents) or the picker's (cancelled). */
  async start(): Promise<void> {
    if (this.#stream) return;
    await this.#deps.channel.request('presentation:request', {});
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia(screenConstraints);
      this.#stream = stream;
      const [track] = stream.getVideoTracks();
      if (!track) throw new PageError('client.screenWithoutPicture');
      track.addEventListener('ended', () => {
        this.stop().catch((error: unknown) => console.warn('could not give the presentation floor back', error));
      });
      const transport = this.#deps.transport();
      if (!transport) throw new PageError('client.notInMeeting');
      const sent = withIdleRefresh(track);
      this.#stopSent = sent.stop;
      sent.track.contentHint = 'detail';
      this.#producer = await transport.produce({
        track: sent.track,
        encodings: [screenEncoding],
        codec: screenCodec(this.#deps.device()),
        appData: { source: 'screen' },
        stopTracks: false,
      });
      this.#deps.onChange(stream);
    } catch (error) {
      // the picker was cancelled or producing failed: the floor goes back at once
      this.#end();
      await this.#deps.channel.request('presentation:release', {}).catch(() => undefined);
      throw error;
    }
  }

  /** The user stops presenting: the floor is free for the others. */
  async stop(): Promise<void> {
    if (!this.#stream) return;
    this.#end();
    await this.#deps.channel.request('presentation:release', {});
  }

  /** The floor went to another site (the server closed the producer) or the media was lost: stop showing it. */
  ended(): void {
    this.#end();
  }

  #end(): void {
    this.#producer?.close();
    this.#producer = undefined;
    this.#stopSent?.();
    this.#stopSent = undefined;
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    const wasSharing = this.#stream !== undefined;
    this.#stream = undefined;
    if (wasSharing) this.#deps.onChange(undefined);
  }
}

/**
 * The presentation in H.264 Constrained Baseline (packetization mode 1) where the browser encodes it: what the room
 * systems' content channels take, so the SFU forwards it to them as it is; else the browser's first codec (VP8).
 */
function screenCodec(device: Device | undefined): types.RtpCodecCapability | undefined {
  return device?.sendRtpCapabilities.codecs?.find(
    (c) =>
      c.mimeType.toLowerCase() === 'video/h264' &&
      c.parameters?.['packetization-mode'] === 1 &&
      String(c.parameters?.['profile-level-id']).toLowerCase() === '42e01f',
  );
}
