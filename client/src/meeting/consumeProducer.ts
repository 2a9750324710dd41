import type { types } from 'mediasoup-client';
import type { ConsumeResponse, VideoTile } from '../../../shared/protocol.js';
import type { SignallingChannel } from './SignallingChannel.js';

/**
 * Asks the SFU for a consumer of the producer (it is created paused: nothing flows until it is resumed;
 * a video at the layer its tile shows)
 * and makes its receiver on the page's receive transport.
 */
export async function consumeProducer(
  channel: SignallingChannel,
  transport: types.Transport,
  peerId: string,
  producerId: string,
  spatialLayer?: number,
  tile?: VideoTile,
): Promise<{ consumer: types.Consumer; response: ConsumeResponse }> {
  const response = await channel.request('consumer:create', { producerId, spatialLayer, tile });
  const consumer = await transport.consume({
    id: response.consumerId,
    producerId: response.producerId,
    kind: response.kind,
    rtpParameters: response.rtpParameters as types.RtpParameters,
    appData: { peerId, source: response.source },
  });
  return { consumer, response };
}
