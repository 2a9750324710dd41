import type { types } from 'mediasoup';

/**
 * Codecs every meeting router offers. VP8 and H.264 both carry browser simulcast; H.264 High is
 * listed too because IP cameras send it and the gateway forwards it without transcoding, and Main
 * because a feed from outside in Main or High is offered as Main (Debian's Chromium negotiates no
 * High profile, yet decodes it). G.722, PCMU and PCMA (last, so the others keep their payload types): what a
 * SIP room system or MCU without Opus sends and takes; browsers decode them as they are.
 */
export const meetingMediaCodecs: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '640032', 'level-asymmetry-allowed': 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 },
  },
  { kind: 'audio', mimeType: 'audio/G722', clockRate: 8000 },
  { kind: 'audio', mimeType: 'audio/PCMU', clockRate: 8000 },
  { kind: 'audio', mimeType: 'audio/PCMA', clockRate: 8000 },
];

/** The camera wall's router: H.264 as browsers receive it (the gateway offers High as Main). */
export const cameraMediaCodecs: types.RouterRtpCodecCapability[] = [
  ...['42e01f', '4d0032'].map((profileLevelId) => ({
    kind: 'video' as const,
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId, 'level-asymmetry-allowed': 1 },
    rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
  })),
];
