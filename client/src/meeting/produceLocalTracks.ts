import type { Device, types } from 'mediasoup-client';
import type { MediaSource, VideoCodecChoice } from './MeetingClientTypes.js';

/** Three simulcast layers; the SFU forwards the one each viewer's tile needs. */
const cameraEncodings: RTCRtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/**
 * The site's camera (simulcast, in the codec it chose) and microphone (Opus with DTX and FEC). A muted
 * camera or microphone is produced paused: the other sites never consume it until it is on.
 */
export async function produceLocalTracks(
  transport: types.Transport,
  device: Device,
  stream: MediaStream,
  options: { videoCodec: VideoCodecChoice; cameraMuted: boolean; microphoneMuted: boolean },
): Promise<Map<MediaSource, types.Producer>> {
  const producers = new Map<MediaSource, types.Producer>();
  const [video] = stream.getVideoTracks();
  const [audio] = stream.getAudioTracks();
  if (video) {
    const mimeType = `video/${options.videoCodec}`;
    const codec = device.sendRtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType);
    const paused = options.cameraMuted;
    const producer = await transport.produce({
      track: video,
      encodings: cameraEncodings,
      codec,
      appData: { source: 'camera', paused },
      stopTracks: false,
    });
    producers.set('camera', producer);
    if (paused) producer.pause();
  }
  if (audio) {
    const paused = options.microphoneMuted;
    const producer = await transport.produce({
      track: audio,
      codecOptions: { opusDtx: true, opusFec: true },
      appData: { source: 'microphone', paused },
      stopTracks: false,
    });
    producers.set('microphone', producer);
    if (paused) producer.pause();
  }
  return producers;
}
