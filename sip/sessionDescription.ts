import * as sdpTransform from 'sdp-transform';
import { z } from 'zod';
import { SessionDescriptionError } from './errors.js';
import type {
  AnsweredCodec,
  HubFloorControl,
  LocalMediaLine,
  OfferedFloorControl,
  OfferedLine,
  RemoteMediaLine,
  SdesKey,
} from './SipTypes.js';
import { said, type Said } from '../shared/messages/index.js';

/**
 * What the hub offers a room system or an MCU, per media line. Audio: Opus (its mix and the browsers' codec),
 * then G.722 (wideband, what room systems speak by default) and G.711 µ-law and A-law for a far end without Opus; DTMF as RFC 4733 events. Video: H.264 Constrained Baseline up to level 3.1 in packetization mode 1 (what
 * every room system and MCU sends, and the browsers decode) before VP8.
 */
const videoFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];
/** The keypad's keys (RFC 4733): 0–9, * and #, A–D. */
const telephoneEvent: AnsweredCodec = {
  mimeType: 'audio/telephone-event',
  payloadType: 101,
  clockRate: 8000,
  parameters: {},
  rtcpFeedback: [],
};
const offeredCodecs: Record<'audio' | 'video', AnsweredCodec[]> = {
  audio: [
    { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 }, rtcpFeedback: [] },
    { mimeType: 'audio/G722', payloadType: 9, clockRate: 8000, parameters: {}, rtcpFeedback: [] },
    { mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000, parameters: {}, rtcpFeedback: [] },
    { mimeType: 'audio/PCMA', payloadType: 8, clockRate: 8000, parameters: {}, rtcpFeedback: [] },
    telephoneEvent,
  ],
  video: [
    {
      mimeType: 'video/H264',
      payloadType: 97,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
      rtcpFeedback: videoFeedback,
    },
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: videoFeedback },
  ],
};

const sdesSuite = 'AES_CM_128_HMAC_SHA1_80';

/** The label the hub gives its content line when it offers one (what its `a=floorid … mstrm:` names). */
const offeredContentLabel = '3';

/**
 * The hub's offer: one audio and one video line over SRTP (RTP/SAVP, SDES keys), each with its own RTP and RTCP
 * ports; with `floorControl`, a content line (`a=content:slides`) and the BFCP line of the hub's floor control server
 * too (the far end the client, connecting to the hub). `payloadTypes` (by MIME type): the numbers the hub's media
 * sends the codecs with, which the far end's answer then uses too (RFC 3264 §6.1).
 */
export function sessionOffer(options: {
  address: string;
  sessionId: string;
  userAgent: string;
  lines: LocalMediaLine[];
  payloadTypes?: Partial<Record<string, number>>;
  floorControl?: HubFloorControl;
}): string {
  const { floorControl } = options;
  const lines = floorControl ? options.lines : options.lines.filter((line) => !line.content);
  const media = lines.map((line) => ({
    ...mediaLine(
      line,
      offeredCodecs[line.kind].map((c) => ({ ...c, payloadType: options.payloadTypes?.[c.mimeType] ?? c.payloadType })),
      options.address,
    ),
    // the far end's picture and voice in, the meeting's program and its mix-minus out
    direction: 'sendrecv' as const,
    ...(line.content ? { content: 'slides', label: offeredContentLabel } : {}),
  }));
  const all = floorControl && lines.some((line) => line.content) ? [...media, floorControlMedia(floorControl, offeredContentLabel)] : media;
  return describeSession(options, all as sdpTransform.SessionDescription['media']);
}

/** The BFCP line of the hub's floor control server (RFC 8856): the far end connects to it, for the content line `label`. */
function floorControlMedia(control: HubFloorControl, label: string) {
  return {
    type: 'application',
    port: control.port,
    protocol: 'TCP/BFCP',
    payloads: '*',
    rtp: [],
    fmtp: [],
    setup: 'passive',
    connectionType: 'new',
    bfcpFloorCtrl: 's-only',
    bfcpConfId: String(control.conferenceId),
    bfcpUserId: String(control.userId),
    bfcpFloorId: { id: String(control.floorId), mStream: label },
  };
}

const portSchema = z.number().int().min(0).max(65535);
/** The fields of a far end's description (its answer or its offer) the hub reads, checked: its text is not trusted. */
const descriptionSchema = z.object({
  connection: z.object({ ip: z.string() }).optional(),
  media: z.array(
    z.object({
      type: z.string(),
      port: portSchema,
      protocol: z.string(),
      payloads: z.union([z.string(), z.number()]).optional(),
      connection: z.object({ ip: z.string() }).optional(),
      rtp: z
        .array(
          z.object({
            payload: z.number().int(),
            codec: z.string(),
            rate: z.number().int().optional(),
            encoding: z.union([z.number(), z.string()]).optional(),
          }),
        )
        .default([]),
      fmtp: z.array(z.object({ payload: z.number().int(), config: z.string() })).default([]),
      rtcp: z.object({ port: portSchema }).optional(),
      ssrcs: z.array(z.object({ id: z.union([z.number(), z.string()]), attribute: z.string() })).optional(),
      crypto: z.array(z.object({ id: z.number(), suite: z.string(), config: z.string() })).optional(),
      direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      // a content line (RFC 4796) and its label; a BFCP line's roles and TCP set-up (RFC 8856, RFC 4145)
      content: z.string().optional(),
      label: z.union([z.string(), z.number()]).optional(),
      setup: z.string().optional(),
      bfcpFloorCtrl: z.string().optional(),
    }),
  ),
});

/**
 * The far end's answer to the hub's offer: per accepted line, its address, codec, SSRC and SRTP key. A video line after
 * the first is the content line the hub offered (an answer keeps the offer's order).
 */
export function answeredMedia(answer: string): RemoteMediaLine[] {
  const session = parseDescription(answer);
  const lines: RemoteMediaLine[] = [];
  let videoLines = 0;
  for (const media of session.media) {
    if (media.type !== 'audio' && media.type !== 'video') continue;
    const content = media.type === 'video' && videoLines++ > 0;
    // a declined line (port 0), or one that neither sends nor receives
    if (media.port === 0 || media.direction === 'inactive') continue;
    const codec = answerCodec(media.type, media);
    if (!codec) throw new SessionDescriptionError(said('sip.noOfferedCodec', { kind: kindSaid(media.type) }));
    lines.push({ ...remoteLine(session, media, media.type, codec), ...(content ? { content, label: offeredContentLabel } : {}) });
  }
  if (!lines.some((line) => !line.content)) throw new SessionDescriptionError('sip.sendsNothing');
  return lines;
}

/**
 * Whether the far end took the hub's floor control (its BFCP line answered, as the client) with the content line: where
 * its connection comes from. Undefined: it declined either (the call goes on without content).
 */
export function answeredFloorControl(answer: string): OfferedFloorControl | undefined {
  const session = parseDescription(answer);
  const line = session.media.find((media) => media.type === 'application' && media.protocol === 'TCP/BFCP' && media.port !== 0);
  const content = session.media.filter((media) => media.type === 'video')[1];
  if (!line || !content || content.port === 0) return undefined;
  const address = line.connection?.ip ?? session.connection?.ip;
  return address ? { address, port: line.port } : undefined;
}

/**
 * A caller's offer, line by line: an audio or video line over SRTP with a codec the hub takes is taken (the
 * hub's preference among those offered: Opus before G.722 before G.711, H.264 Constrained Baseline before other H.264 and
 * VP8); any other is declined in the answer. Plain RTP is refused (the hub requires SRTP) unless `plainRtp`: a room
 * system the admin allowed it. With `content` (the hub serves the call's floor), a content video line
 * (`a=content:slides`) and its BFCP line over TCP are taken together, the caller being the floor's client.
 */
export function offeredMedia(offer: string, options: { plainRtp?: boolean; content?: boolean } = {}): OfferedLine[] {
  const session = parseDescription(offer);
  const lines = session.media.map((media): OfferedLine => {
    const declined = (reason: string): OfferedLine => ({
      taken: false,
      type: media.type,
      protocol: media.protocol,
      format: String(media.payloads ?? '').split(' ')[0] || '0',
      reason,
    });
    if (media.port === 0 || media.direction === 'inactive') return declined('luồng đã tắt');
    if (media.type === 'application') {
      const floorControl = options.content ? offeredFloorControl(session, media) : undefined;
      return floorControl ? { taken: true, floorControl } : declined(`không nhận luồng ${media.protocol}`);
    }
    if (media.type !== 'audio' && media.type !== 'video') return declined(`không nhận luồng ${media.type}`);
    const codec = offerCodec(media.type, media);
    if (!codec) throw new SessionDescriptionError(said('sip.noCodecTaken', { kind: kindSaid(media.type) }));
    const content = media.type === 'video' && media.content === 'slides';
    return {
      taken: true,
      media: {
        ...remoteLine(session, media, media.type, codec, options.plainRtp),
        ...(content ? { content, label: String(media.label ?? '3') } : {}),
      },
    };
  });
  // one line of each kind, one content line and one BFCP line: the rest declined
  const seen = new Set<string>();
  const slotOf = (line: OfferedLine & { taken: true }) =>
    'floorControl' in line ? 'floorControl' : line.media.content ? 'content' : line.media.kind;
  const decline = (line: OfferedLine & { taken: true }, reason: string): OfferedLine =>
    'floorControl' in line
      ? { taken: false, type: 'application', protocol: 'TCP/BFCP', format: '*', reason }
      : {
          taken: false,
          type: line.media.kind,
          protocol: line.media.srtp ? 'RTP/SAVP' : 'RTP/AVP',
          format: String(line.media.codec.payloadType),
          reason,
        };
  const answered = lines.map((line): OfferedLine => {
    if (!line.taken) return line;
    const slot = slotOf(line);
    if (seen.has(slot)) return decline(line, 'luồng thứ hai');
    seen.add(slot);
    return line;
  });
  if (!seen.has('audio') && !seen.has('video')) throw new SessionDescriptionError('sip.invitesNothing');
  // content goes with its floor: a content line without BFCP, or BFCP without a content line, is declined
  if (seen.has('content') === seen.has('floorControl')) return answered;
  return answered.map((line) =>
    line.taken && (slotOf(line) === 'content' || slotOf(line) === 'floorControl') ? decline(line, 'nội dung cần cả BFCP') : line,
  );
}

/** The media lines a caller's offer had taken. */
export function takenMedia(offered: OfferedLine[]): RemoteMediaLine[] {
  return offered.flatMap((line) => (line.taken && 'media' in line ? [line.media] : []));
}

/** The BFCP line a caller's offer had taken, if any. */
export function takenFloorControl(offered: OfferedLine[]): OfferedFloorControl | undefined {
  for (const line of offered) if (line.taken && 'floorControl' in line) return line.floorControl;
  return undefined;
}

/**
 * A BFCP line the hub serves (RFC 8856): over TCP (not TLS yet), the caller a floor control client (`c-only` or `c-s`,
 * or nothing said) that opens the connection (`active` or `actpass`: the hub is `passive`).
 */
function offeredFloorControl(session: z.infer<typeof descriptionSchema>, media: RemoteLine): OfferedFloorControl | undefined {
  if (media.protocol !== 'TCP/BFCP') return undefined;
  if (media.bfcpFloorCtrl === 's-only') return undefined;
  if (media.setup !== undefined && media.setup !== 'active' && media.setup !== 'actpass') return undefined;
  const address = media.connection?.ip ?? session.connection?.ip;
  return address ? { address, port: media.port } : undefined;
}

/**
 * The hub's answer to a caller's offer: the lines it takes with its own ports, SRTP key, the codec chosen (in the
 * caller's payload type) and its keypad's digits; its floor control for a BFCP line (`floorControl`: the hub listens,
 * the caller connects); the others declined with port 0, in the offer's order.
 */
export function sessionAnswer(options: {
  address: string;
  sessionId: string;
  userAgent: string;
  offered: OfferedLine[];
  lines: LocalMediaLine[];
  floorControl?: HubFloorControl;
}): string {
  const contentLabel = takenMedia(options.offered).find((line) => line.content)?.label;
  const media = options.offered.map((offered) => {
    const declined = (type: string, protocol: string, payloads: string) => ({ type, port: 0, protocol, payloads, rtp: [], fmtp: [] });
    if (!offered.taken) return declined(offered.type, offered.protocol, offered.format);
    if ('floorControl' in offered) {
      const control = options.floorControl;
      if (!control || contentLabel === undefined) return declined('application', 'TCP/BFCP', '*');
      return floorControlMedia(control, contentLabel);
    }
    const remote = offered.media;
    const local = options.lines.find((l) => l.kind === remote.kind && Boolean(l.content) === Boolean(remote.content));
    if (!local) throw new SessionDescriptionError(said('sip.cannotOpen', { kind: kindSaid(remote.kind) }));
    const codecs = [
      remote.codec,
      ...(remote.dtmfPayloadType === undefined ? [] : [{ ...telephoneEvent, payloadType: remote.dtmfPayloadType }]),
    ];
    return {
      ...mediaLine(local, codecs, options.address, remote.cryptoTag),
      // what the hub does is what the caller's direction leaves it
      direction: ({ sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' } as const)[remote.direction],
      ...(remote.content ? { content: 'slides', label: remote.label } : {}),
    };
  });
  return describeSession(options, media);
}

/** The hub's session description around its media lines: its address, session id and name. */
function describeSession(
  session: { address: string; sessionId: string; userAgent: string },
  media: sdpTransform.SessionDescription['media'],
): string {
  return sdpTransform.write({
    version: 0,
    origin: { username: '-', sessionId: session.sessionId, sessionVersion: 1, netType: 'IN', ipVer: 4, address: session.address },
    name: session.userAgent,
    connection: { version: 4, ip: session.address },
    timing: { start: 0, stop: 0 },
    media,
  });
}

/** One of the hub's media lines: its ports, codecs, feedback and SDES key (SRTP), or none (plain RTP). */
function mediaLine(line: LocalMediaLine, codecs: AnsweredCodec[], address: string, cryptoTag = 1) {
  return {
    type: line.kind,
    port: line.port,
    protocol: line.srtp ? 'RTP/SAVP' : 'RTP/AVP',
    payloads: codecs.map((c) => c.payloadType).join(' '),
    rtp: codecs.map((c) => ({
      payload: c.payloadType,
      codec: c.mimeType.split('/')[1]!,
      rate: c.clockRate,
      ...(c.channels ? { encoding: c.channels } : {}),
    })),
    fmtp: codecs
      .filter((c) => Object.keys(c.parameters).length > 0 || c.mimeType === 'audio/telephone-event')
      .map((c) => ({
        payload: c.payloadType,
        config:
          c.mimeType === 'audio/telephone-event'
            ? '0-15'
            : Object.entries(c.parameters)
                .map(([k, v]) => `${k}=${v}`)
                .join(';'),
      })),
    // every codec of a line takes the same feedback: said once for all (`*`)
    rtcpFb: codecs[0]!.rtcpFeedback.length
      ? codecs[0]!.rtcpFeedback.map((f) => ({ payload: '*', type: f.type, ...(f.parameter ? { subtype: f.parameter } : {}) }))
      : undefined,
    rtcp: { port: line.rtcpPort, netType: 'IN', ipVer: 4, address },
    ...(line.srtp ? { crypto: [{ id: cryptoTag, suite: line.srtp.cryptoSuite, config: `inline:${line.srtp.keyBase64}` }] } : {}),
  };
}

function parseDescription(text: string): z.infer<typeof descriptionSchema> {
  const parsed = descriptionSchema.safeParse(sdpTransform.parse(text));
  if (!parsed.success) throw new SessionDescriptionError('sip.invalidSdp');
  return parsed.data;
}

/** One accepted line of the far end's description: its codec (chosen by the caller), SSRC, SRTP key and address. */
function remoteLine(
  session: z.infer<typeof descriptionSchema>,
  media: RemoteLine,
  kind: 'audio' | 'video',
  codec: AnsweredCodec,
  plainRtp = false,
): RemoteMediaLine {
  const direction = media.direction ?? 'sendrecv';
  const plain = media.protocol === 'RTP/AVP' || media.protocol === 'RTP/AVPF';
  if (!plain && media.protocol !== 'RTP/SAVP' && media.protocol !== 'RTP/SAVPF')
    throw new SessionDescriptionError(said('sip.protocol', { protocol: media.protocol, kind: kindSaid(kind) }));
  if (plain && !plainRtp) throw new SessionDescriptionError(said('sip.unencrypted', { protocol: media.protocol, kind: kindSaid(kind) }));
  // the SFU takes what the far end sends by its SSRC: one it does not say is read from its first packet
  const ssrc = media.ssrcs?.[0] === undefined ? undefined : Number(media.ssrcs[0].id);
  if (ssrc !== undefined && (!Number.isInteger(ssrc) || ssrc <= 0 || ssrc >= 2 ** 32))
    throw new SessionDescriptionError(said('sip.badSsrc', { kind: kindSaid(kind) }));
  const sdes = plain ? undefined : sdesKey(media.crypto ?? []);
  if (!plain && !sdes) throw new SessionDescriptionError(said('sip.noKey', { suite: sdesSuite, kind: kindSaid(kind) }));
  const address = media.connection?.ip ?? session.connection?.ip;
  if (!address) throw new SessionDescriptionError(said('sip.noAddress', { kind: kindSaid(kind) }));
  const dtmf =
    kind === 'audio' ? media.rtp.find((r) => r.codec.toLowerCase() === 'telephone-event' && (r.rate ?? 8000) === 8000) : undefined;
  return {
    kind,
    address,
    port: media.port,
    rtcpPort: media.rtcp?.port ?? media.port + 1,
    codec,
    ssrc: direction === 'recvonly' ? undefined : ssrc,
    ...(sdes ? { srtp: sdes.key, cryptoTag: sdes.tag } : {}),
    direction,
    ...(dtmf ? { dtmfPayloadType: dtmf.payload } : {}),
  };
}

type RemoteLine = z.infer<typeof descriptionSchema>['media'][number];

/** The first payload of the answer's line that the hub offered (by name and, for H.264, packetization mode 1). */
function answerCodec(kind: 'audio' | 'video', media: RemoteLine): AnsweredCodec | undefined {
  return takenCodecs(kind, media)[0];
}

/** Of an offer's line, the codec the hub prefers: its own order, and H.264 Constrained Baseline (the program's) first. */
function offerCodec(kind: 'audio' | 'video', media: RemoteLine): AnsweredCodec | undefined {
  const taken = takenCodecs(kind, media);
  const rank = (codec: AnsweredCodec) => {
    const order = offeredCodecs[kind].findIndex((c) => c.mimeType === codec.mimeType);
    const baseline = codec.mimeType !== 'video/H264' || /^42[ce]0/i.test(String(codec.parameters['profile-level-id'] ?? '42e01f'));
    return order * 2 + (baseline ? 0 : 1);
  };
  return taken.sort((a, b) => rank(a) - rank(b))[0];
}

/** The line's payloads the hub takes (by name and, for H.264, packetization mode 1), in the far end's order. */
function takenCodecs(kind: 'audio' | 'video', media: RemoteLine): AnsweredCodec[] {
  const taken: AnsweredCodec[] = [];
  const order = String(media.payloads ?? '')
    .split(' ')
    .map(Number);
  for (const payloadType of order) {
    const rtp = media.rtp.find((r) => r.payload === payloadType);
    if (!rtp) continue;
    const parameters = fmtpParameters(media.fmtp.find((f) => f.payload === payloadType)?.config ?? '');
    const offered = offeredCodecs[kind].find(
      (c) => c.mimeType.toLowerCase() === `${kind}/${rtp.codec}`.toLowerCase() && c.mimeType !== 'audio/telephone-event',
    );
    if (!offered) continue;
    if (offered.mimeType === 'video/H264' && Number(parameters['packetization-mode'] ?? 0) !== 1) continue;
    taken.push({
      mimeType: offered.mimeType,
      rtcpFeedback: offered.rtcpFeedback,
      payloadType,
      clockRate: offered.clockRate,
      ...(offered.channels ? { channels: offered.channels } : {}),
      parameters: offered.mimeType === 'video/H264' ? { ...offered.parameters, ...parameters, 'level-asymmetry-allowed': 1 } : parameters,
    });
  }
  return taken;
}

function fmtpParameters(config: string): Record<string, string | number> {
  const parameters: Record<string, string | number> = {};
  for (const part of config.split(';')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined) continue;
    parameters[name] = /^\d+$/.test(value) ? Number(value) : value;
  }
  return parameters;
}

/** The far end's SDES key for the suite the hub takes, with its line's tag (an answer names the offer's tag). */
function sdesKey(crypto: Array<{ id: number; suite: string; config: string }>): { key: SdesKey; tag: number } | undefined {
  for (const line of crypto) {
    const match = /^inline:([A-Za-z0-9+/=]{40})(?:\|.*)?$/.exec(line.config.split(' ')[0] ?? '');
    if (line.suite === sdesSuite && match) return { key: { cryptoSuite: sdesSuite, keyBase64: match[1]! }, tag: line.id };
  }
  return undefined;
}

/** A stream's kind in words ("âm thanh", "hình ảnh"); another kind is named as the far end wrote it. */
function kindSaid(kind: string): Said | string {
  return kind === 'audio' || kind === 'video' ? said(`mediaKind.${kind}`) : kind;
}
