import * as sdpTransform from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import {
  answeredFloorControl,
  answeredMedia,
  isNewEvent,
  keyOf,
  offeredMedia,
  SessionDescriptionError,
  sessionAnswer,
  sessionOffer,
  takenFloorControl,
  takenMedia,
  type LocalMediaLine,
  type OfferedLine,
} from '../../sip/index.js';

const key = (n: number) => Buffer.alloc(30, n).toString('base64');

/** baresip 1.0.0's answer to the hub's offer, as it sent it (auto-answer, SRTP mandatory, no video display). */
const baresipAnswer = [
  'v=0',
  'o=- 1654019477 118178192 IN IP4 192.0.2.2',
  's=-',
  'c=IN IP4 192.0.2.2',
  't=0 0',
  'a=tool:baresip 1.0.0',
  'm=audio 24098 RTP/SAVP 111 101',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 stereo=1;sprop-stereo=1',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendonly',
  'a=ssrc:1506452989 cname:sip:room@127.0.0.2:15060',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:EuwznL/WBoJtr7vy8Xb/gReVr+pLBb4hqMS96c7q',
  'm=video 5938 RTP/SAVP 97',
  'a=rtpmap:97 H264/90000',
  'a=fmtp:97 packetization-mode=1;profile-level-id=42e01f',
  'a=sendonly',
  'a=ssrc:3631542691 cname:sip:room@127.0.0.2:15060',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:ompenhBoCXXtxOkgb6judIHKtNTqAgMGorqsLYOr',
  '',
].join('\r\n');

/** The hub's offer for an audio and a video line (the video's RTCP on a port of its own), as a far end parses it. */
const parsedOffer = (payloadTypes?: Partial<Record<string, number>>) =>
  sdpTransform.parse(
    sessionOffer({
      address: '10.0.0.1',
      sessionId: '42',
      userAgent: 'province-meeting-hub',
      lines: [
        { kind: 'audio', port: 41000, rtcpPort: 41001, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(1) } },
        { kind: 'video', port: 41002, rtcpPort: 41005, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(2) } },
      ],
      payloadTypes,
    }),
  );

describe('the session descriptions of the calls the hub places', () => {
  it('offers one audio and one video line over SRTP, each with its key and its own RTCP port', () => {
    const offer = parsedOffer();
    expect(offer.connection?.ip).toBe('10.0.0.1');
    expect(offer.media.map((m) => [m.type, m.port, m.protocol, m.rtcp?.port, m.crypto?.[0]?.config])).toEqual([
      ['audio', 41000, 'RTP/SAVP', 41001, `inline:${key(1)}`],
      ['video', 41002, 'RTP/SAVP', 41005, `inline:${key(2)}`],
    ]);
    // the hub's picture and mix go out on the same lines
    expect(offer.media.map((m) => m.direction)).toEqual(['sendrecv', 'sendrecv']);
    expect(offer.media[0]!.rtp.map((r) => r.codec)).toEqual(['opus', 'G722', 'PCMU', 'PCMA', 'telephone-event']);
    expect(offer.media[1]!.rtp.map((r) => r.codec)).toEqual(['H264', 'VP8']);
    expect(offer.media[1]!.fmtp.find((f) => f.payload === 97)?.config).toContain('packetization-mode=1');
    // a browser's key-frame request must reach the far end: NACK, PLI and FIR offered on video only
    expect(offer.media.map((m) => m.rtcpFb?.map((f) => [f.payload, f.type, f.subtype]))).toEqual([
      undefined,
      [
        ['*', 'nack', undefined],
        ['*', 'nack', 'pli'],
        ['*', 'ccm', 'fir'],
      ],
    ]);
  });

  it('reads an answer: per line the codec chosen, the SSRC, the far end’s SRTP key and where it sends from', () => {
    expect(answeredMedia(baresipAnswer)).toEqual([
      {
        kind: 'audio',
        address: '192.0.2.2',
        port: 24098,
        rtcpPort: 24099,
        codec: {
          mimeType: 'audio/opus',
          payloadType: 111,
          clockRate: 48000,
          channels: 2,
          parameters: { stereo: 1, 'sprop-stereo': 1 },
          rtcpFeedback: [],
        },
        ssrc: 1506452989,
        srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: 'EuwznL/WBoJtr7vy8Xb/gReVr+pLBb4hqMS96c7q' },
        cryptoTag: 1,
        direction: 'sendonly',
        dtmfPayloadType: 101,
      },
      {
        kind: 'video',
        address: '192.0.2.2',
        port: 5938,
        rtcpPort: 5939,
        codec: {
          mimeType: 'video/H264',
          payloadType: 97,
          clockRate: 90000,
          parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        },
        ssrc: 3631542691,
        srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: 'ompenhBoCXXtxOkgb6judIHKtNTqAgMGorqsLYOr' },
        cryptoTag: 1,
        direction: 'sendonly',
      },
    ]);
  });

  it('offers a content line and its BFCP line with the hub as the floor server, and reads whether the far end took them', () => {
    const text = sessionOffer({
      address: '10.0.0.1',
      sessionId: '42',
      userAgent: 'province-meeting-hub',
      lines: [
        { kind: 'audio', port: 41000, rtcpPort: 41001, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(1) } },
        { kind: 'video', port: 41002, rtcpPort: 41003, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(2) } },
        { kind: 'video', content: true, port: 41004, rtcpPort: 41005, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(3) } },
      ],
      floorControl: { port: 5070, conferenceId: 99, userId: 7, floorId: 1 },
    });
    const offer = sdpTransform.parse(text);
    expect(offer.media.map((m) => [m.type, m.port, m.protocol])).toEqual([
      ['audio', 41000, 'RTP/SAVP'],
      ['video', 41002, 'RTP/SAVP'],
      ['video', 41004, 'RTP/SAVP'],
      ['application', 5070, 'TCP/BFCP'],
    ]);
    for (const line of ['a=content:slides', 'a=label:3', 'a=floorctrl:s-only', 'a=setup:passive', 'a=confid:99', 'a=userid:7'])
      expect(text).toContain(`${line}\r\n`);
    expect(text).toContain('a=floorid:1 mstrm:3\r\n');

    // a room system that takes both: its content line is the content, its connection comes from its address
    const answer = [
      ...baresipAnswer.trimEnd().split('\r\n'),
      'm=video 5940 RTP/SAVP 97',
      'a=rtpmap:97 H264/90000',
      'a=fmtp:97 packetization-mode=1;profile-level-id=42e01f',
      'a=content:slides',
      'a=sendrecv',
      'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:ompenhBoCXXtxOkgb6judIHKtNTqAgMGorqsLYOr',
      'm=application 9 TCP/BFCP *',
      'a=floorctrl:c-only',
      'a=setup:active',
      '',
    ].join('\r\n');
    expect(answeredMedia(answer).map((line) => [line.kind, line.content ?? false, line.port])).toEqual([
      ['audio', false, 24098],
      ['video', false, 5938],
      ['video', true, 5940],
    ]);
    expect(answeredFloorControl(answer)).toEqual({ address: '192.0.2.2', port: 9 });
    // one that declines them (port 0): no content, no floor
    const declined = answer.replace('m=video 5940', 'm=video 0').replace('m=application 9', 'm=application 0');
    expect(answeredMedia(declined).map((line) => line.content ?? false)).toEqual([false, false]);
    expect(answeredFloorControl(declined)).toBeUndefined();
    // one that does not know BFCP and answers the hub's three media lines: no floor
    expect(answeredFloorControl(answer.slice(0, answer.indexOf('m=application')))).toBeUndefined();
  });

  it('offers the codecs in the payload types the hub sends them with (the router’s), which the answer then uses', () => {
    const offer = parsedOffer({
      'audio/opus': 100,
      'audio/G722': 9,
      'audio/PCMU': 0,
      'audio/PCMA': 8,
      'video/H264': 103,
      'video/VP8': 101,
    });
    expect(offer.media.map((m) => m.rtp.map((r) => `${r.payload} ${r.codec}`))).toEqual([
      ['100 opus', '9 G722', '0 PCMU', '8 PCMA', '101 telephone-event'],
      ['103 H264', '101 VP8'],
    ]);
    expect(offer.media[1]!.fmtp.find((f) => f.payload === 103)?.config).toContain('profile-level-id=42e01f');
  });

  it('takes a line the far end only receives on (a display): no SSRC needed, and nothing to take from it', () => {
    const receiveOnly = baresipAnswer.replace('a=sendonly\r\na=ssrc:3631542691 cname:sip:room@127.0.0.2:15060', 'a=recvonly');
    const video = answeredMedia(receiveOnly).find((line) => line.kind === 'video');
    expect(video).toMatchObject({ kind: 'video', direction: 'recvonly', ssrc: undefined, port: 5938 });
  });

  it('takes a line whose SSRC the far end does not say (many room systems): it is read from its first packet', () => {
    const audio = answeredMedia(baresipAnswer.replace(/a=ssrc:1506452989.*\r\n/, '')).find((line) => line.kind === 'audio');
    expect(audio).toMatchObject({ kind: 'audio', direction: 'sendonly', ssrc: undefined });
  });

  it.each([
    ['plain RTP', (sdp: string) => sdp.replaceAll('RTP/SAVP', 'RTP/AVP'), 'cần SRTP'],
    ['an SSRC that is no 32-bit number', (sdp: string) => sdp.replace('a=ssrc:1506452989', 'a=ssrc:99999999999'), 'SSRC'],
    ['no SRTP key', (sdp: string) => sdp.replace(/a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Euwz.*\r\n/, ''), 'khóa SRTP'],
    [
      'H.264 in packetization mode 0 only',
      (sdp: string) => sdp.replace('packetization-mode=1', 'packetization-mode=0'),
      'không chọn mã hình ảnh',
    ],
    ['text that is no session description', () => 'm=audio x', 'không'],
  ])('refuses an answer with %s, saying why in Vietnamese', (_case, change, why) => {
    expect(() => answeredMedia(change(baresipAnswer))).toThrow(SessionDescriptionError);
    expect(() => answeredMedia(change(baresipAnswer))).toThrow(why);
  });
});

/** baresip 1.0.0's offer when it calls the hub, as it sent it: G.711 listed before Opus, H.264 mode 0 before mode 1. */
const baresipOffer = [
  'v=0',
  'o=- 3201099321 1997057303 IN IP4 192.0.2.2',
  's=-',
  'c=IN IP4 192.0.2.2',
  't=0 0',
  'm=audio 38596 RTP/SAVP 0 8 96 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 stereo=1;sprop-stereo=1',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'a=ssrc:3012462193 cname:sip:room@127.0.0.2',
  'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:1xWBuvXcINpeUw1VOdSX61s4Pwdm6pWTPF5syuZK',
  'm=video 31640 RTP/SAVP 96 97 34',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 packetization-mode=0;profile-level-id=42e01f',
  'a=rtpmap:97 H264/90000',
  'a=fmtp:97 packetization-mode=1;profile-level-id=42e01f',
  'a=rtpmap:34 H263/90000',
  'a=sendrecv',
  'a=ssrc:282936676 cname:sip:room@127.0.0.2',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Y/8q+jIJi32jY2ODwuUcJ49qpQCE9kMmAOR2dOBY',
  'm=application 9 TCP/BFCP *',
  '',
].join('\r\n');

/** The hub's answer to `offered` with its `lines`, parsed back. */
const answerTo = (offered: OfferedLine[], lines: LocalMediaLine[]) =>
  sdpTransform.parse(sessionAnswer({ address: '10.0.0.1', sessionId: '7', userAgent: 'province-meeting-hub', offered, lines }));

describe('the session descriptions of the calls to the hub', () => {
  it('takes Opus and H.264 mode 1 in the caller’s payload types, with its keypad and SSRCs, and declines the rest', () => {
    const offered = offeredMedia(baresipOffer);
    expect(offered.map((line) => line.taken)).toEqual([true, true, false]);
    const [audio, video] = takenMedia(offered);
    expect(audio).toMatchObject({
      codec: { mimeType: 'audio/opus', payloadType: 96 },
      dtmfPayloadType: 101,
      ssrc: 3012462193,
      cryptoTag: 2,
    });
    expect(video).toMatchObject({ codec: { mimeType: 'video/H264', payloadType: 97 }, ssrc: 282936676, port: 31640 });
  });

  it('answers every offered line in its order: the taken ones with the hub’s ports, key and the caller’s numbers, the rest with port 0', () => {
    const offered = offeredMedia(baresipOffer);
    const answer = answerTo(offered, [
      { kind: 'audio', port: 42000, rtcpPort: 42001, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(3) } },
      { kind: 'video', port: 42002, rtcpPort: 42003, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(4) } },
    ]);
    expect(answer.media.map((m) => [m.type, m.port])).toEqual([
      ['audio', 42000],
      ['video', 42002],
      ['application', 0],
    ]);
    expect(answer.media[0]!.payloads).toBe('96 101');
    expect(answer.media[0]!.crypto?.[0]).toMatchObject({ id: 2, config: `inline:${key(3)}` });
    expect(String(answer.media[1]!.payloads)).toBe('97');
    expect(answer.media[1]!.direction).toBe('sendrecv');
  });

  it('takes G.722 (wideband) before G.711 from a room system without Opus, with its 8 kHz RTP clock', () => {
    const withoutOpus = baresipOffer
      .replace('m=audio 38596 RTP/SAVP 0 8 96 101', 'm=audio 38596 RTP/SAVP 0 8 9 101')
      .replace('a=rtpmap:96 opus/48000/2\r\na=fmtp:96 stereo=1;sprop-stereo=1', 'a=rtpmap:9 G722/8000');
    const [audio] = takenMedia(offeredMedia(withoutOpus));
    expect(audio).toMatchObject({ codec: { mimeType: 'audio/G722', payloadType: 9, clockRate: 8000 }, dtmfPayloadType: 101 });
    // and G.711 when it has neither
    const narrowband = withoutOpus.replace('0 8 9 101', '8 0 101').replace('a=rtpmap:9 G722/8000\r\n', '');
    const [g711] = takenMedia(offeredMedia(narrowband));
    expect(g711).toMatchObject({ codec: { mimeType: 'audio/PCMU', payloadType: 0 } });
  });

  /** A room system's offer with its content line and BFCP (as Poly and Cisco codecs send it: the client connects). */
  const withContent = (bfcp: string[] = ['a=floorctrl:c-only', 'a=setup:active', 'a=connection:new']) =>
    baresipOffer.replace(
      'm=application 9 TCP/BFCP *\r\n',
      [
        'm=video 31650 RTP/SAVP 98',
        'a=rtpmap:98 H264/90000',
        'a=fmtp:98 packetization-mode=1;profile-level-id=42e01f',
        'a=content:slides',
        'a=label:3',
        'a=sendrecv',
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Y/8q+jIJi32jY2ODwuUcJ49qpQCE9kMmAOR2dOBY',
        'm=application 9 TCP/BFCP *',
        ...bfcp,
        '',
      ].join('\r\n'),
    );
  const hubLines: LocalMediaLine[] = [
    { kind: 'audio', port: 42000, rtcpPort: 42001, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(3) } },
    { kind: 'video', port: 42002, rtcpPort: 42003, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(4) } },
    { kind: 'video', content: true, port: 42004, rtcpPort: 42005, srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: key(5) } },
  ];

  it('takes a content line with its BFCP line when the hub serves the floor, and answers as the floor control server', () => {
    const offered = offeredMedia(withContent(), { content: true });
    expect(offered.map((line) => line.taken)).toEqual([true, true, true, true]);
    expect(takenMedia(offered).map((m) => [m.kind, m.content ?? false, m.label])).toEqual([
      ['audio', false, undefined],
      ['video', false, undefined],
      ['video', true, '3'],
    ]);
    expect(takenFloorControl(offered)).toEqual({ address: '192.0.2.2', port: 9 });
    const answer = sdpTransform.parse(
      sessionAnswer({
        address: '10.0.0.1',
        sessionId: '7',
        userAgent: 'province-meeting-hub',
        offered,
        lines: hubLines,
        floorControl: { port: 5070, conferenceId: 123456, userId: 2, floorId: 1 },
      }),
    );
    expect(answer.media.map((m) => [m.type, m.port, m.protocol])).toEqual([
      ['audio', 42000, 'RTP/SAVP'],
      ['video', 42002, 'RTP/SAVP'],
      ['video', 42004, 'RTP/SAVP'],
      ['application', 5070, 'TCP/BFCP'],
    ]);
    const content = answer.media[2]! as (typeof answer.media)[number] & { content?: string };
    expect([content.content, content.label, content.payloads].map(String)).toEqual(['slides', '3', '98']);
    const bfcp = answer.media[3]!;
    // the hub is the server and waits for the room system's connection; the floor is the content line's (label 3)
    expect([bfcp.bfcpFloorCtrl, bfcp.setup, bfcp.connectionType, bfcp.bfcpConfId, bfcp.bfcpUserId].map(String)).toEqual([
      's-only',
      'passive',
      'new',
      '123456',
      '2',
    ]);
    expect(sdpTransform.write(answer)).toContain('a=floorid:1 mstrm:3\r\n');
  });

  it.each([
    ['the hub serves no floor for the call', withContent(), {}],
    ['the room system wants to be the server', withContent(['a=floorctrl:s-only', 'a=setup:active']), { content: true }],
    ['the room system waits for the hub to connect', withContent(['a=floorctrl:c-only', 'a=setup:passive']), { content: true }],
  ])('declines content and BFCP together when %s: the call goes on with its picture and voice', (_case, offer, options) => {
    const offered = offeredMedia(offer, options);
    expect(offered.map((line) => line.taken)).toEqual([true, true, false, false]);
    const answer = answerTo(offered, hubLines);
    expect(answer.media.map((m) => m.port)).toEqual([42000, 42002, 0, 0]);
  });

  it('refuses plain RTP: the hub requires SRTP', () => {
    const plain = baresipOffer.replaceAll('RTP/SAVP', 'RTP/AVP');
    expect(() => offeredMedia(plain)).toThrow(SessionDescriptionError);
    expect(() => offeredMedia(plain)).toThrow(/cần SRTP/);
  });

  it('takes plain RTP from a room system the admin allowed it, and answers it in plain RTP, with no key', () => {
    const plain = baresipOffer.replaceAll('RTP/SAVP', 'RTP/AVP').replace(/a=crypto:.*\r\n/g, '');
    const offered = offeredMedia(plain, { plainRtp: true });
    const [audio] = takenMedia(offered);
    expect(audio).toMatchObject({ codec: { mimeType: 'audio/opus' } });
    expect(audio).not.toHaveProperty('srtp');
    const answer = answerTo(offered, [
      { kind: 'audio', port: 42000, rtcpPort: 42001 },
      { kind: 'video', port: 42002, rtcpPort: 42003 },
    ]);
    expect(answer.media.slice(0, 2).map((m) => [m.protocol, m.crypto])).toEqual([
      ['RTP/AVP', undefined],
      ['RTP/AVP', undefined],
    ]);
  });

  it('reads a key from an RFC 4733 event packet, and nothing from a voice packet', () => {
    const packet = (payloadType: number, event: number) => {
      const buffer = Buffer.alloc(16);
      buffer[0] = 0x80;
      buffer[1] = payloadType;
      buffer.writeUInt32BE(123456, 4);
      buffer[12] = event;
      return buffer;
    };
    expect(keyOf(packet(101, 11), 101)).toEqual({ key: '#', timestamp: 123456 });
    expect(keyOf(packet(101, 5), 101)?.key).toBe('5');
    expect(keyOf(packet(96, 5), 101)).toBeUndefined();
  });

  it('tells a new key press from the repeated packets of one: by its timestamp, or by its key when two share one', () => {
    expect(isNewEvent(undefined, { key: '*', timestamp: 160 })).toBe(true);
    expect(isNewEvent({ key: '*', timestamp: 160 }, { key: '*', timestamp: 160 })).toBe(false);
    expect(isNewEvent({ key: '*', timestamp: 160 }, { key: '*', timestamp: 960 })).toBe(true);
    // two keys within one frame of the sender's audio
    expect(isNewEvent({ key: '1', timestamp: 160 }, { key: '*', timestamp: 160 })).toBe(true);
  });
});
