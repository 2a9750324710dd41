import type { Device, types } from 'mediasoup-client';
import type { MediaSource, TransportOptionsResponse } from '../../../shared/protocol.js';
import type { SignallingChannel } from './SignallingChannel.js';

/**
 * One of a site's two WebRTC transports, created on the hub and mirrored in the browser: its DTLS
 * connect and its producers go through signalling, and a failed ICE connection restarts ICE (unless
 * the site is leaving).
 */
export async function createMeetingTransport(
  channel: SignallingChannel,
  device: Device,
  direction: 'send' | 'recv',
  leaving: () => boolean,
): Promise<types.Transport> {
  const params: TransportOptionsResponse = await channel.request('transport:create', { direction });
  // mediasoup-client still types the deprecated `ip` field; it reads `address` first.
  const options = {
    ...params,
    iceCandidates: params.iceCandidates as types.IceCandidate[],
    dtlsParameters: params.dtlsParameters as types.DtlsParameters,
  };
  const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    channel.request('transport:connect', { transportId: transport.id, dtlsParameters }).then(callback, errback);
  });
  if (direction === 'send') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = appData.source as MediaSource;
      channel
        .request('producer:create', { transportId: transport.id, kind, rtpParameters, source, paused: appData.paused === true })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
  }
  transport.on('connectionstatechange', (state) => {
    if (state !== 'failed' || leaving()) return;
    channel
      .request('transport:restartIce', { transportId: transport.id })
      .then(({ iceParameters }) => transport.restartIce({ iceParameters }))
      .catch(() => undefined);
  });
  return transport;
}
