import type { types } from 'mediasoup';
import { MediaStateError } from './errors.js';
import type { WorkerPool } from './WorkerPool.js';

/** Where a synthetic site's RTP socket is, and the key it encrypts with (SRTP both ways). */
export interface PlainRemote {
  ip: string;
  port: number;
  srtpParameters: types.SrtpParameters;
}

/**
 * bench:load's synthetic sites get SRTP PlainTransports on loopback: the worker forwards and
 * encrypts every packet as for a browser (AES_CM_128_HMAC_SHA1_80, what libwebrtc offers first
 * for SDES), without ICE checks, DTLS handshakes or bandwidth estimation.
 */
export function loadTestTransportOptions(pool: WorkerPool): types.PlainTransportOptions {
  return {
    listenInfo: pool.loopbackListenInfo(),
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
  };
}

/** What a synthetic site needs to send to and receive from its PlainTransport. */
export function loadTestTransportInfo(transport: types.PlainTransport): {
  id: string;
  ip: string;
  port: number;
  srtpParameters: types.SrtpParameters;
} {
  const { localAddress, localPort } = transport.tuple;
  if (!transport.srtpParameters) throw new MediaStateError('a load-test transport is created with SRTP');
  return { id: transport.id, ip: localAddress, port: localPort, srtpParameters: transport.srtpParameters };
}

/** The transport as WebRTC, or a clear error for a load-test PlainTransport. */
export function webRtc<T extends types.Transport>(transport: T): types.WebRtcTransport {
  if (transport.type !== 'webrtc') throw new MediaStateError('this transport is a load-test PlainTransport: it has no ICE or DTLS');
  return transport as unknown as types.WebRtcTransport;
}

/** The transport as a load-test PlainTransport, or a clear error for a browser's. */
export function plain<T extends types.Transport>(transport: T): types.PlainTransport {
  if (transport.type !== 'plain') throw new MediaStateError('this transport is WebRTC: connect it with DTLS parameters');
  return transport as unknown as types.PlainTransport;
}
