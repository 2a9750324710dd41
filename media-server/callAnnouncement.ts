import { randomInt } from 'node:crypto';
import type { types } from 'mediasoup';

/** A stream played to one call alone (its announcements), sent on loopback as plain RTP. */
export interface CallAnnouncement {
  port: number;
  ssrc: number;
  payloadType: number;
  close(): void;
}

/**
 * An announcement for a SIP call alone, on its own router: RTP sent to `port` on loopback (in `codec`, payload
 * type `payloadType`) goes out on the call's transport in the far end's numbering. Nobody else hears it.
 */
export async function openCallAnnouncement(
  router: types.Router,
  callTransport: types.Transport,
  listenInfo: types.TransportListenInfo,
  codec: { mimeType: string; clockRate: number; channels?: number },
): Promise<CallAnnouncement> {
  const transport = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
  try {
    const routerCodec = router.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === codec.mimeType.toLowerCase());
    if (!routerCodec) throw new Error(`the call's router has no ${codec.mimeType}`);
    const ssrc = randomInt(1, 2 ** 32 - 1);
    const payloadType = routerCodec.preferredPayloadType;
    const producer = await transport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [
          {
            mimeType: routerCodec.mimeType,
            payloadType,
            clockRate: codec.clockRate,
            ...(codec.channels ? { channels: codec.channels } : {}),
          },
        ],
        encodings: [{ ssrc }],
      },
    });
    await callTransport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    return { port: transport.tuple.localPort, ssrc, payloadType, close: () => transport.close() };
  } catch (error) {
    transport.close();
    throw error;
  }
}
