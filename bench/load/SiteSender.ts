import dgram from 'node:dgram';
import { layerSync, temporalPattern, type SiteClip } from './clip.js';
import { isRtcp, keyFrameRequests, rtpPacket, senderReport, vp8Payloads } from './rtp.js';
import type { SrtpSession } from './SrtpSession.js';

/** libwebrtc ignores key-frame requests this soon after its last key frame. */
const minKeyFrameIntervalMs = 300;

export interface SendPlan {
  videoSsrcs: number[];
  audioSsrc: number;
  videoPayloadType: number;
  audioPayloadType: number;
  /** The router's id for urn:ietf:params:rtp-hdrext:ssrc-audio-level. */
  audioLevelExtensionId: number;
}

/**
 * What a bridge point's browser sends: the clip's simulcast layers at 25 fps (only the layers the
 * hub asks for, as the page's RTCRtpSender does under dynacast), Opus every 20 ms with its audio
 * level (RFC 6464) for the hub's speaker detection, sender reports each second, and a key frame on
 * every layer at the next frame after a PLI or FIR (the clip jumps to its next GOP start), at most one
 * per 300 ms as libwebrtc's encoder answers them (EncoderRtcpFeedback's minimum key-frame interval).
 */
export class SiteSender {
  readonly socket = dgram.createSocket('udp4');
  readonly plan: SendPlan;
  /** The microphone: speaking (syllables and pauses, as the hub's speaker detection expects), a quiet room's noise, or silence. */
  voice: 'speaking' | 'room' | 'silent' = 'silent';
  packetsSent = 0;
  readonly #clip: SiteClip;
  readonly #local: SrtpSession;
  #remote?: SrtpSession;
  #to?: number;
  #maxLayer: number;
  #startedAt = 0;
  #frames = 0;
  #audioPackets = 0;
  #clipFrame = 0;
  /** Counts the frames of temporal layer 0 sent (VP8's TL0PICIDX). */
  #tl0PicIdx = 0;
  #keyFrameWanted = false;
  #lastKeyFrameAt = -Infinity;
  #lastReportAt = 0;
  #videoOn = false;
  #audioOn = false;
  readonly #seq = new Map<number, number>();
  readonly #counts = new Map<number, { packets: number; octets: number }>();

  constructor(clip: SiteClip, plan: SendPlan, local: SrtpSession) {
    this.#clip = clip;
    this.plan = plan;
    this.#local = local;
    this.#maxLayer = clip.layers.length - 1;
    this.socket.on('message', (message) => this.#onMessage(message));
  }

  async bind(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }

  /** Where the hub's PlainTransport listens, and the key its RTCP comes under. */
  connect(port: number, remote: SrtpSession): void {
    this.#to = port;
    this.#remote = remote;
  }

  startVideo(): void {
    this.#videoOn = true;
  }

  startAudio(): void {
    this.#audioOn = true;
  }

  /** Dynacast: encode layers 0…layer only. */
  setMaxSpatialLayer(layer: number): void {
    if (layer > this.#maxLayer) this.#keyFrameWanted = true;
    this.#maxLayer = layer;
  }

  /** Sends whatever is due by `now` (the shared pacer calls every few ms). */
  tick(now: number): void {
    if (this.#to === undefined) return;
    if (this.#startedAt === 0) this.#startedAt = now;
    const elapsed = now - this.#startedAt;
    for (; this.#frames * (1000 / this.#clip.fps) <= elapsed; this.#frames++) if (this.#videoOn) this.#sendFrame();
    for (; this.#audioPackets * 20 <= elapsed; this.#audioPackets++) if (this.#audioOn) this.#sendAudio();
    if (now - this.#lastReportAt >= 1000) {
      this.#lastReportAt = now;
      this.#sendReports(elapsed);
    }
  }

  close(): void {
    this.#to = undefined;
    this.socket.close();
  }

  #sendFrame(): void {
    const { layers, gopStarts } = this.#clip;
    if (this.#keyFrameWanted) {
      this.#keyFrameWanted = false;
      this.#clipFrame = gopStarts.find((start) => start > this.#clipFrame) ?? 0;
    }
    if (gopStarts.includes(this.#clipFrame)) this.#lastKeyFrameAt = performance.now();
    const timestamp = (this.#frames * 90_000) / this.#clip.fps;
    const temporal = { layer: temporalPattern[this.#clipFrame % temporalPattern.length]!, sync: layerSync(this.#clipFrame) };
    if (temporal.layer === 0) this.#tl0PicIdx = (this.#tl0PicIdx + 1) & 0xff;
    for (let layer = 0; layer <= this.#maxLayer; layer++) {
      const frame = layers[layer]![this.#clipFrame]!;
      const payloads = vp8Payloads(frame.data, this.#frames & 0x7fff, this.#tl0PicIdx, temporal);
      for (const [i, payload] of payloads.entries())
        this.#send(this.plan.videoSsrcs[layer]!, this.plan.videoPayloadType, timestamp, i === payloads.length - 1, payload);
    }
    this.#clipFrame = (this.#clipFrame + 1) % layers[0]!.length;
  }

  #sendAudio(): void {
    const { opus } = this.#clip;
    const payload = opus[this.#audioPackets % opus.length]!;
    const level = Buffer.from([audioLevel(this.voice, this.#audioPackets)]);
    this.#send(this.plan.audioSsrc, this.plan.audioPayloadType, this.#audioPackets * 960, false, payload, [
      [this.plan.audioLevelExtensionId, level],
    ]);
  }

  #send(
    ssrc: number,
    payloadType: number,
    timestamp: number,
    marker: boolean,
    payload: Buffer,
    extensions?: Array<[number, Buffer]>,
  ): void {
    const sequenceNumber = this.#seq.get(ssrc) ?? ssrc & 0x3fff;
    this.#seq.set(ssrc, (sequenceNumber + 1) & 0xffff);
    const packet = this.#local.protectRtp(rtpPacket({ payloadType, marker, sequenceNumber, timestamp, ssrc, extensions }, payload));
    const count = this.#counts.get(ssrc) ?? { packets: 0, octets: 0 };
    count.packets++;
    count.octets += payload.length;
    this.#counts.set(ssrc, count);
    this.packetsSent++;
    this.socket.send(packet, this.#to, '127.0.0.1');
  }

  /** One SR per sending stream, the RTP time of `elapsed` on each clock (mediasoup switches layers by them). */
  #sendReports(elapsed: number): void {
    const streams: Array<[number, number]> = [];
    if (this.#videoOn) for (let layer = 0; layer <= this.#maxLayer; layer++) streams.push([this.plan.videoSsrcs[layer]!, 90]);
    if (this.#audioOn) streams.push([this.plan.audioSsrc, 48]);
    for (const [ssrc, perMs] of streams) {
      const count = this.#counts.get(ssrc);
      if (!count) continue;
      const report = senderReport(ssrc, Math.round(elapsed * perMs), count.packets, count.octets);
      this.socket.send(this.#local.protectRtcp(report), this.#to, '127.0.0.1');
    }
  }

  #onMessage(message: Buffer): void {
    if (!isRtcp(message) || !this.#remote) return;
    const rtcp = this.#remote.unprotectRtcp(message);
    if (!rtcp || performance.now() - this.#lastKeyFrameAt < minKeyFrameIntervalMs) return;
    if (keyFrameRequests(rtcp).some((ssrc) => this.plan.videoSsrcs.includes(ssrc))) this.#keyFrameWanted = true;
  }
}

/**
 * -dBov of the 20 ms packet `n` (RFC 6464; 127 is silence). Speech: ~4 syllables a second at -20 to
 * -30 dBov with short gaps near the room's level, a breath every 3 s; a room: -65 to -70 dBov, below
 * the hub's -60 dBov threshold. A constant level would look like noise to the speaker detection.
 */
function audioLevel(voice: SiteSender['voice'], n: number): number {
  if (voice === 'silent') return 127;
  const jitter = (n * 7919) % 5;
  if (voice === 'room') return 65 + jitter;
  const breath = n % 150 >= 130;
  const inSyllable = n % 12 < 8;
  return breath || !inSyllable ? 62 + jitter : 20 + 2 * jitter;
}
