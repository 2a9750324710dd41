import type { types } from 'mediasoup';
import { mixCodecs, openLoopbackTransport, randomSsrc, type MixCodecName } from './loopbackStreams.js';

/** A stream played to one call alone (its announcements), sent on loopback as plain RTP. */
export interface CallAnnouncement {
  port: number;
  ssrc: number;
  payloadType: number;
  close(): void;
}

/**
 * An announcement for a SIP call alone, on its own router: RTP sent to `port` on loopback (in `codec`, payload
 * type `payloadType`) goes out on the call's transport in the far end's numbering. Nobody else hears it. The call's
 * router has the codec: it is the one its far end took for its sound, which its mix and announcements are sent in.
 */
export async function openCallAnnouncement(
  router: types.Router,
  callTransport: types.Transport,
  listenInfo: types.TransportListenInfo,
  codec: MixCodecName,
): Promise<CallAnnouncement> {
  const transport = await openLoopbackTransport(router, listenInfo);
  try {
    const ssrc = randomSsrc();
    const producer = await transport.produce({ kind: 'audio', rtpParameters: { codecs: [mixCodecs[codec]], encodings: [{ ssrc }] } });
    await callTransport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    return { port: transport.tuple.localPort, ssrc, payloadType: mixCodecs[codec].payloadType, close: () => transport.close() };
  } catch (error) {
    transport.close();
    throw error;
  }
}
