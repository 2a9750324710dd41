import { errors as mediasoupErrors, type types } from 'mediasoup';
import { MediaStateError } from './errors.js';
import type { MessageKey } from '../shared/messages/index.js';

/**
 * A consumer on `transport`, or a MediaStateError saying `cannotDecode` when the viewer's browser cannot decode
 * it. consume() itself finds that out: a separate canConsume() copied the capabilities twice more
 * (6% of the hub's CPU in a 125-site join storm).
 */
export async function consumeDecodable<ConsumerAppData extends types.AppData>(
  transport: types.Transport,
  options: types.ConsumerOptions<ConsumerAppData>,
  cannotDecode: MessageKey,
): Promise<types.Consumer<ConsumerAppData>> {
  return transport.consume<ConsumerAppData>(options).catch((error: unknown) => {
    if (error instanceof mediasoupErrors.UnsupportedError) throw new MediaStateError('the browser cannot decode this stream', cannotDecode);
    throw error;
  });
}
