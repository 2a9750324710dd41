import type { types } from 'mediasoup';
import * as sdpCommonUtils from 'mediasoup-client/handlers/sdp/commonUtils';
import { RemoteSdp } from 'mediasoup-client/handlers/sdp/RemoteSdp';
import * as sdpUnifiedPlanUtils from 'mediasoup-client/handlers/sdp/unifiedPlanUtils';
import * as ortc from 'mediasoup-client/ortc';
import type { types as clientTypes } from 'mediasoup-client';
import * as sdpTransform from 'sdp-transform';
import type { MediaKind } from '../shared/protocol.js';
import { SdpOfferError } from './errors.js';
import type { MeetingRoom } from './MeetingRoom.js';
import type { ProducerAppData } from './MeetingRoomTypes.js';
import { said } from '../shared/messages/index.js';

export interface SdpIngest {
  /** The SDP answer for the encoder. */
  answer: string;
  transport: types.WebRtcTransport;
  producers: Array<types.Producer<ProducerAppData>>;
}

/**
 * Takes an encoder's SDP offer (WHIP) into the meeting as the peer's camera and microphone: a WebRTC
 * transport of the peer's, one producer per offered audio and video section, and the answer. The
 * offer is read, and the answer written, the way mediasoup-client's browser handlers do it for a
 * page's own offer (its SDP utilities and ORTC matching), so what an encoder may send is what a
 * bridge point's browser may. A bad offer throws SdpOfferError, with nothing left open.
 */
export async function acceptSdpOffer(room: MeetingRoom, peerId: string, offer: string): Promise<SdpIngest> {
  const sdpObject = parseOffer(offer);
  const sections = sdpObject.media.filter((m) => m.port !== 0);
  for (const kind of ['audio', 'video'] as const)
    if (sections.filter((m) => m.type === kind).length > 1)
      throw new SdpOfferError(said('sdp.oneSectionPerKind', { kind: said(`mediaKind.${kind}`) }));
  for (const m of sections) {
    if (m.type !== 'audio' && m.type !== 'video') throw new SdpOfferError(said('sdp.sectionType', { type: m.type }));
    if (m.direction !== 'sendonly' && m.direction !== 'sendrecv')
      throw new SdpOfferError(said('sdp.mustSend', { kind: said(`mediaKind.${m.type}`) }));
    if (m.mid === undefined) throw new SdpOfferError(said('sdp.noMid', { kind: said(`mediaKind.${m.type}`) }));
  }
  if (sections.length === 0) throw new SdpOfferError('sdp.sendsNothing');
  let remoteDtls: clientTypes.DtlsParameters;
  let extended: ReturnType<typeof ortc.getExtendedRtpCapabilities>;
  try {
    remoteDtls = sdpCommonUtils.extractDtlsParameters({ sdpObject });
    const native = sdpCommonUtils.extractRtpCapabilities({ sdpObject });
    extended = ortc.getExtendedRtpCapabilities(native, room.routerRtpCapabilities as clientTypes.RtpCapabilities, false);
  } catch (error) {
    throw new SdpOfferError(said('sdp.unreadable', { detail: (error as Error).message }));
  }

  const transport = (await room.createTransport(peerId, 'send')) as types.WebRtcTransport;
  const producers: Array<types.Producer<ProducerAppData>> = [];
  try {
    // the encoder connects as DTLS client unless it insists on being the server (a=setup:passive)
    const encoderRole = remoteDtls.role === 'server' ? 'server' : 'client';
    const remoteSdp = new RemoteSdp({
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: { ...transport.dtlsParameters, role: 'auto' },
    });
    remoteSdp.updateDtlsRole(encoderRole === 'client' ? 'server' : 'client');
    if (sdpObject.extmapAllowMixed) remoteSdp.setSessionExtmapAllowMixed();
    for (const offerMediaObject of sdpObject.media) {
      const kind = offerMediaObject.type as MediaKind;
      if (offerMediaObject.port === 0 || (kind !== 'audio' && kind !== 'video')) continue;
      if (!ortc.canSend(kind, ortc.getSendRtpCapabilities(extended)))
        throw new SdpOfferError(said('sdp.noCodecInCommon', { kind: said(`mediaKind.${kind}`), codecs: codecNames(room, kind) }));
      const sending = ortc.getSendingRtpParameters(kind, extended);
      const answering = ortc.getSendingRemoteRtpParameters(kind, extended);
      sending.mid = String(offerMediaObject.mid);
      sending.rtcp = { ...sending.rtcp, cname: sdpCommonUtils.getCname({ offerMediaObject }) };
      sending.encodings = sdpUnifiedPlanUtils.getRtpEncodings({ offerMediaObject, codecs: sending.codecs });
      remoteSdp.send({ offerMediaObject, offerRtpParameters: sending, answerRtpParameters: answering });
      producers.push(
        await room.produce(peerId, {
          transportId: transport.id,
          kind,
          rtpParameters: sending,
          source: kind === 'audio' ? 'microphone' : 'camera',
        }),
      );
    }
    await transport.connect({ dtlsParameters: { role: encoderRole, fingerprints: remoteDtls.fingerprints } });
    return { answer: remoteSdp.getSdp(), transport, producers };
  } catch (error) {
    transport.close();
    if (error instanceof SdpOfferError) throw error;
    throw new SdpOfferError(said('sdp.notTaken', { detail: (error as Error).message }));
  }
}

function parseOffer(offer: string): sdpTransform.SessionDescription {
  if (!/^v=0\r?\n/.test(offer)) throw new SdpOfferError('sdp.notAnOffer');
  const sdpObject = sdpTransform.parse(offer);
  if (!Array.isArray(sdpObject.media)) throw new SdpOfferError('sdp.noMedia');
  const fingerprint = sdpObject.fingerprint ?? sdpObject.media.find((m) => m.fingerprint)?.fingerprint;
  if (!fingerprint) throw new SdpOfferError('sdp.noFingerprint');
  if (!(sdpObject.iceUfrag ?? sdpObject.media.find((m) => m.iceUfrag)?.iceUfrag)) throw new SdpOfferError('sdp.noIceUfrag');
  return sdpObject;
}

function codecNames(room: MeetingRoom, kind: MediaKind): string {
  const names = (room.routerRtpCapabilities.codecs ?? []).filter((c) => c.kind === kind && !/rtx/i.test(c.mimeType)).map((c) => c.mimeType);
  return [...new Set(names)].join(', ');
}
