import type { types } from 'mediasoup';
import type { TransportOptionsResponse } from '../../shared/protocol.js';
import type { IceAccess } from './RealtimeTypes.js';
import { SignallingError } from './validation.js';

/** What a browser needs to create its side of a WebRtcTransport (meetings and the camera wall alike). */
export function transportOptions(transport: types.WebRtcTransport, access: IceAccess): TransportOptionsResponse {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
    ...access,
  };
}

/** PlainTransports only on a hub started for load tests. */
export function allowLoadTestTransports(enabled: boolean): void {
  if (!enabled) throw new SignallingError('FORBIDDEN', 'meeting.loadTestOff');
}
