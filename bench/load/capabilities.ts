import type { RtpCapabilities } from '../../shared/protocol.js';

/**
 * The router's capabilities less transport-cc and REMB: a synthetic receiver sends no congestion
 * feedback, so the hub must not estimate its downlink (with no feedback its estimate would starve
 * most consumers). Layers then follow the viewer's preferences and the producers' scores; how the
 * hub adapts to a real thin downlink is the thin-link test's, with Chromium.
 */
export function withoutBandwidthEstimation(capabilities: RtpCapabilities): RtpCapabilities {
  const estimation = new Set(['transport-cc', 'goog-remb']);
  return {
    ...capabilities,
    codecs: capabilities.codecs?.map((codec) => ({
      ...codec,
      rtcpFeedback: codec.rtcpFeedback?.filter((feedback) => !estimation.has(feedback.type)),
    })),
    headerExtensions: capabilities.headerExtensions?.filter((e) => !/transport-wide-cc|abs-send-time/.test(e.uri)),
  };
}
