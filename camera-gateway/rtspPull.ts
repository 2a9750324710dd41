import { secretInput, type SecretInput } from '../processes/index.js';

/** What an RTSP pull may open: RTSP and what it rides on, so a device's URI cannot make ffmpeg read files or fetch over HTTP. */
const rtspProtocols = ['rtsp', 'rtp', 'tcp', 'udp'];

/**
 * ffmpeg's input for an RTSP stream (a camera's, an RTSP feed's source), its credentials in the URI:
 * over TCP, with no packets read ahead to guess what the SDP already says (the first packet is forwarded
 * at once), timestamps made where the camera left them out. The URI goes to ffmpeg on its stdin, never
 * on its command line.
 */
export function rtspPull(uriWithCredentials: string): SecretInput {
  const input = secretInput(uriWithCredentials, rtspProtocols, {
    rtsp_transport: 'tcp',
    timeout: '5000000',
    analyzeduration: '0',
    probesize: '32',
  });
  return { ...input, options: ['-fflags', '+genpts', ...input.options] };
}
