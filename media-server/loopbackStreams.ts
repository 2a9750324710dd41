import { randomInt } from 'node:crypto';
import type { types } from 'mediasoup';

/** A call's sound as its far end takes it: Opus, or G.711 or G.722 (static payload types), sent to the SFU in these numbers. */
export const mixCodecs = {
  opus: { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 },
  pcmu: { mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000 },
  pcma: { mimeType: 'audio/PCMA', payloadType: 8, clockRate: 8000 },
  // 16 kHz sound, yet an 8 kHz RTP clock (RFC 3551's historical error, kept by every implementation)
  g722: { mimeType: 'audio/G722', payloadType: 9, clockRate: 8000 },
} as const;

export type MixCodecName = keyof typeof mixCodecs;

/**
 * A transport taking one stream made on this machine (GStreamer's RTP on loopback) into a router: the stream's
 * sender is learnt from its first packet (comedia), RTCP on the same port.
 */
export function openLoopbackTransport(router: types.Router, listenInfo: types.TransportListenInfo): Promise<types.PlainTransport> {
  return router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
}

export function randomSsrc(): number {
  return randomInt(1, 2 ** 32 - 1);
}
