import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { BfcpClient } from './bfcpClient.js';

/** What its BYE needs of the call: where it goes, and the dialog's From and To as this side says them. */
export interface Dialog {
  requestUri: string;
  callId: string;
  from: string;
  to: string;
  hub: { address: string; port: number };
}

/** What the hub's answer gave a call's content line and floor (RFC 8856). */
interface ContentChannel {
  /** Where the content goes, with the key it is sent in. */
  srtp: () => string[];
  /** Its content's payload type: its main video's, as the hub numbered it. */
  payloadType: number;
  /** Where it receives the meeting's presentation (its description's content port), and the hub's key for it. */
  local: { address: string; port: number; hubKey: string };
  floor: { host: string; port: number; conferenceId: number; userId: number };
}

interface RoomOptions {
  /** Its loopback address of its own. */
  from: string;
  colour: string;
  toneHz: number;
  /** Its laptop's picture, offered (or answered) as content with BFCP. */
  content?: { colour: string };
}

/** Its SRTP keys, one per line. */
export type Keys = Record<'audio' | 'video' | 'content', string>;

const displayName = '"Phong hop khong SSRC"';

/**
 * Its session description (its offer, or its answer to the hub's): G.711 µ-law and H.264 Constrained Baseline in
 * `payloadTypes` (an answer's are the hub's), no `a=ssrc`; with content, a content line numbered as the main video (as
 * room systems number both alike) and a BFCP line as the floor's client, connecting to the hub.
 */
export function describe(
  options: Pick<RoomOptions, 'from' | 'content'> & { ports?: { audio: number; video: number } },
  keys: Keys,
  payloadTypes: { audio: number; video: number },
  cryptoTag = 1,
): string {
  const video = payloadTypes.video;
  const h264 = [`a=rtpmap:${video} H264/90000`, `a=fmtp:${video} packetization-mode=1;profile-level-id=42e01f`];
  const crypto = (key: string) => `a=crypto:${cryptoTag} AES_CM_128_HMAC_SHA1_80 inline:${key}`;
  return [
    'v=0',
    `o=- ${randomInt(1, 2 ** 31)} 1 IN IP4 ${options.from}`,
    's=Phong hop',
    `c=IN IP4 ${options.from}`,
    't=0 0',
    // ports it says it receives on (by default made up: the hub sends where packets come from, symmetric RTP)
    `m=audio ${options.ports?.audio ?? 20000 + randomInt(0, 4000) * 2} RTP/SAVP ${payloadTypes.audio} 101`,
    `a=rtpmap:${payloadTypes.audio} PCMU/8000`,
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    crypto(keys.audio),
    'a=sendrecv',
    `m=video ${options.ports?.video ?? 30000 + randomInt(0, 4000) * 2} RTP/SAVP ${video}`,
    ...h264,
    crypto(keys.video),
    'a=sendrecv',
    ...(options.content
      ? [
          `m=video ${34000 + randomInt(0, 4000) * 2} RTP/SAVP ${video}`,
          ...h264,
          'a=content:slides',
          'a=label:3',
          crypto(keys.content),
          'a=sendrecv',
          // it connects to the hub's floor control server (port 9: it listens nowhere)
          'm=application 9 TCP/BFCP *',
          'a=floorctrl:c-only',
          'a=setup:active',
          'a=connection:new',
        ]
      : []),
    '',
  ].join('\r\n');
}

/**
 * A room system as many Poly and Cisco codecs are: its session description says no SSRC (`a=ssrc`), only its codecs,
 * ports and SDES keys. Node speaks its SIP over UDP (it calls, `call`, or is called, `answer`) and ffmpeg sends its
 * media over SRTP: a solid picture in H.264 Constrained Baseline and a tone in G.711 µ-law, each with an SSRC of
 * ffmpeg's choosing. With `content`, it has a content line (`a=content:slides`) and BFCP, as a codec with a laptop cable
 * has: it asks for the floor over BFCP (`contentFloor`), sends its laptop's picture (`sendContent`, a solid colour)
 * once granted, and receives the meeting's presentation there (`receiveContent`).
 */
export class RoomSystemWithoutSsrc {
  readonly #socket: dgram.Socket;
  readonly #ffmpeg: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #dialog: Dialog;
  readonly #content: (ContentChannel & { colour: string }) | undefined;
  readonly #from: string;
  #contentSender: ChildProcess | undefined;

  private constructor(socket: dgram.Socket, dialog: Dialog, options: RoomOptions, keys: Keys, sdp: { ours: string; hubs: string }) {
    this.#socket = socket;
    this.#dialog = dialog;
    this.#from = options.from;
    const hubs = sdp.hubs;
    const hubAddress = /^c=IN IP4 (\S+)/m.exec(hubs)![1]!;
    const lines = hubs.split(/^m=/m).slice(1);
    const portOf = (line: string | undefined) => Number(/^\w+ (\d+)/.exec(line ?? '')?.[1] ?? 0);
    const keyOf = (line: string | undefined) => /^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:(\S+)/m.exec(line ?? '')?.[1];
    const attribute = (name: string) => new RegExp(`^a=${name}:(\\S+)`, 'm').exec(hubs)?.[1];
    const srtp = (key: string, port: number) => [
      ...['-f', 'rtp', '-srtp_out_suite', 'AES_CM_128_HMAC_SHA1_80', '-srtp_out_params', key],
      `srtp://${hubAddress}:${port}`,
    ];
    const ours = sdp.ours;
    const videoPayloadType = Number(/^m=video \d+ RTP\/SAVP (\d+)/m.exec(ours)![1]);
    const audioPayloadType = Number(/^m=audio \d+ RTP\/SAVP (\d+)/m.exec(ours)![1]);
    this.#ffmpeg = spawn(
      'ffmpeg',
      [
        ...['-nostdin', '-nostats', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `color=c=${options.colour}:s=640x360:r=25`],
        ...['-re', '-f', 'lavfi', '-i', `sine=frequency=${options.toneHz}:sample_rate=8000,volume=6`],
        ...['-map', '0:v', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline'],
        ...['-pix_fmt', 'yuv420p', '-g', '25', '-payload_type', String(videoPayloadType), ...srtp(keys.video, portOf(lines[1]))],
        ...['-map', '1:a', '-c:a', 'pcm_mulaw', '-ar', '8000', '-ac', '1', '-payload_type', String(audioPayloadType)],
        ...srtp(keys.audio, portOf(lines[0])),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    this.#exited = once(this.#ffmpeg, 'exit');
    const hubContent = lines.find((line, i) => i > 1 && line.startsWith('video') && portOf(line) > 0);
    const ourContentPort = Number([...ours.matchAll(/^m=video (\d+)/gm)][1]?.[1]);
    this.#content =
      options.content && hubContent
        ? {
            colour: options.content.colour,
            payloadType: videoPayloadType,
            srtp: () => srtp(keys.content, portOf(hubContent)),
            local: { address: options.from, port: ourContentPort, hubKey: keyOf(hubContent) ?? '' },
            floor: {
              host: hubAddress,
              port: portOf(lines.find((line) => line.startsWith('application'))),
              conferenceId: Number(attribute('confid')),
              userId: Number(attribute('userid')),
            },
          }
        : undefined;
  }

  /** Calls `uri` at the hub's `address:port` from `from` (a loopback address of its own); resolves once the call is up and its media flow. */
  static async call(options: RoomOptions & { hub: { address: string; port: number }; uri: string }): Promise<RoomSystemWithoutSsrc> {
    const keys = newKeys();
    const offer = describe(options, keys, { audio: 0, video: 96 });
    const { socket, dialog, answer } = await inviteHub({ from: options.from, hub: options.hub, uri: options.uri, offer });
    return new RoomSystemWithoutSsrc(socket, dialog, options, keys, { ours: offer, hubs: answer });
  }

  /**
   * Waits for the hub's call at `uri` (on `from`, a port of its own) and answers it at once, taking the hub's content
   * line and BFCP when it has `content`; `called` resolves once the call is up and its media flow.
   */
  static async answer(options: RoomOptions): Promise<{ uri: string; called: Promise<RoomSystemWithoutSsrc>; close: () => void }> {
    const socket = await boundSocket(options.from);
    const sipPort = socket.address().port;
    const keys = newKeys();
    let answered = false;
    const called = new Promise<RoomSystemWithoutSsrc>((resolve) => {
      socket.on('message', (message, source) => {
        const text = message.toString('latin1');
        // the first INVITE is answered (its retransmissions, and what follows, are not questions)
        if (answered || !text.startsWith('INVITE ')) return;
        answered = true;
        const header = (name: string) => [...text.matchAll(new RegExp(`^${name}: (.*)$`, 'gmi'))].map((m) => m[1]!.trim());
        const hubs = text.slice(text.indexOf('\r\n\r\n') + 4);
        // answered in the hub's numbers: its PCMU and its H.264 Constrained Baseline in packetization mode 1
        const video = Number(/^a=fmtp:(\d+) .*packetization-mode=1.*profile-level-id=42e01f/m.exec(hubs)?.[1] ?? 96);
        const cryptoTag = Number(/^a=crypto:(\d+)/m.exec(hubs)?.[1] ?? 1);
        const answer = describe(options, keys, { audio: 0, video }, cryptoTag);
        const to = `${header('To')[0]!};tag=${randomBytes(4).toString('hex')}`;
        const response = [
          'SIP/2.0 200 OK',
          ...header('Via').map((via) => `Via: ${via}`),
          `From: ${header('From')[0]!}`,
          `To: ${to}`,
          `Call-ID: ${header('Call-ID')[0]!}`,
          `CSeq: ${header('CSeq')[0]!}`,
          `Contact: <sip:phonghop@${options.from}:${sipPort}>`,
          'Content-Type: application/sdp',
          `Content-Length: ${Buffer.byteLength(answer)}`,
          '',
          answer,
        ].join('\r\n');
        socket.send(Buffer.from(response, 'latin1'), source.port, source.address);
        const contact = /<([^>]+)>/.exec(header('Contact')[0] ?? '')?.[1] ?? `sip:${source.address}:${source.port}`;
        resolve(
          new RoomSystemWithoutSsrc(
            socket,
            { requestUri: contact, callId: header('Call-ID')[0]!, from: to, to: header('From')[0]!, hub: source },
            options,
            keys,
            { ours: answer, hubs },
          ),
        );
      });
    });
    return { uri: `sip:phonghop@${options.from}:${sipPort}`, called, close: () => socket.close() };
  }

  /** Whether the hub took its content line and BFCP (its answer said where the floor is). */
  get contentTaken(): boolean {
    return this.#content !== undefined;
  }

  /** Its BFCP connection to the hub's floor control server, from its own address. */
  async contentFloor(): Promise<BfcpClient> {
    const content = this.#content;
    if (!content) throw new Error('the hub declined the content line');
    return BfcpClient.connect({ ...content.floor, from: this.#from });
  }

  /** Its laptop's picture on the content line (a solid colour, H.264 over SRTP), until `stopContent`. */
  sendContent(): void {
    const content = this.#content;
    if (!content || this.#contentSender) return;
    this.#contentSender = spawn(
      'ffmpeg',
      [
        ...['-nostdin', '-nostats', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `color=c=${content.colour}:s=1280x720:r=10`],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'],
        ...['-g', '10', '-payload_type', String(content.payloadType), ...content.srtp()],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }

  /**
   * Receives what the hub sends on its content line (the meeting's presentation) and writes its first decoded picture
   * to `file`: ffmpeg listening on the port its offer gave, decrypting with the key of the hub's answer. Resolves once
   * the picture is written; `stop` ends the wait.
   */
  receiveContent(file: string): { done: Promise<void>; stop: () => void } {
    const content = this.#content;
    if (!content) throw new Error('the hub declined the content line');
    const { address, port, hubKey } = content.local;
    const sdp = path.join(path.dirname(file), 'content.sdp');
    fs.writeFileSync(
      sdp,
      [
        'v=0',
        `o=- 0 0 IN IP4 ${address}`,
        's=Noi dung',
        `c=IN IP4 ${address}`,
        't=0 0',
        `m=video ${port} RTP/SAVP ${content.payloadType}`,
        `a=rtpmap:${content.payloadType} H264/90000`,
        `a=fmtp:${content.payloadType} packetization-mode=1`,
        `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${hubKey}`,
        '',
      ].join('\r\n'),
    );
    const receiver = spawn(
      'ffmpeg',
      [
        ...['-nostdin', '-nostats', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp,srtp', '-i', sdp],
        ...['-frames:v', '1', '-y', file],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const done = once(receiver, 'exit').then(([code]) => {
      if (code !== 0) throw new Error(`ffmpeg received no content picture (exit ${String(code)})`);
    });
    return { done, stop: () => receiver.kill('SIGKILL') };
  }

  async stopContent(): Promise<void> {
    const sender = this.#contentSender;
    this.#contentSender = undefined;
    if (!sender || sender.exitCode !== null || sender.signalCode !== null) return;
    sender.kill('SIGTERM');
    await once(sender, 'exit');
  }

  /** Hangs up (BYE) and stops its media. */
  async hangUp(): Promise<void> {
    sendBye(this.#socket, this.#dialog);
    if (this.#ffmpeg.exitCode === null && this.#ffmpeg.signalCode === null) this.#ffmpeg.kill('SIGTERM');
    await this.#exited;
    await this.stopContent();
    this.#socket.close();
  }
}

/**
 * A caller's INVITE over UDP from `from` (a loopback address of its own, any port) to the hub at `hub`, for `uri`, with
 * `offer`; resolves with its SIP socket, the dialog and the hub's answer (its session description) once the hub answers
 * 200 (ACKed), or rejects with the hub's refusal.
 */
export async function inviteHub(options: {
  from: string;
  hub: { address: string; port: number };
  uri: string;
  offer: string;
}): Promise<{ socket: dgram.Socket; dialog: Dialog; answer: string }> {
  const socket = await boundSocket(options.from);
  const sipPort = socket.address().port;
  const callId = `${randomBytes(8).toString('hex')}@${options.from}`;
  const from = `${displayName} <sip:phonghop@${options.from}>;tag=${randomBytes(4).toString('hex')}`;
  const send = (text: string) => socket.send(Buffer.from(text, 'latin1'), options.hub.port, options.hub.address);
  const request = (method: string, cseq: number, to: string, body = '') =>
    [
      `${method} ${options.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${options.from}:${sipPort};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `To: ${to}`,
      `From: ${from}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:phonghop@${options.from}:${sipPort}>`,
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  const answered = new Promise<string>((resolve, reject) => {
    socket.on('message', (message) => {
      const text = message.toString('latin1');
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1]);
      if (!/^CSeq: 1 INVITE/m.test(text) || status < 200) return;
      if (status === 200) resolve(text);
      else reject(new Error(`the hub refused the call: ${text.split('\r\n')[0]}`));
    });
  });
  send(request('INVITE', 1, `<${options.uri}>`, options.offer));
  const response = await answered.catch((error: unknown) => {
    socket.close();
    throw error;
  });
  const to = /^To: (.*)$/m.exec(response)![1]!;
  send(request('ACK', 1, to));
  return {
    socket,
    dialog: { requestUri: options.uri, callId, from, to, hub: options.hub },
    answer: response.slice(response.indexOf('\r\n\r\n') + 4),
  };
}

/** The caller's BYE in the dialog, from its SIP socket. */
export function sendBye(socket: dgram.Socket, dialog: Dialog): void {
  const { requestUri, callId, from, to, hub } = dialog;
  const { address, port } = socket.address();
  const bye = [
    `BYE ${requestUri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    'Max-Forwards: 70',
    `To: ${to}`,
    `From: ${from}`,
    `Call-ID: ${callId}`,
    'CSeq: 2 BYE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  socket.send(Buffer.from(bye, 'latin1'), hub.port, hub.address);
}

async function boundSocket(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

export function newKeys(): Keys {
  return {
    audio: randomBytes(30).toString('base64'),
    video: randomBytes(30).toString('base64'),
    content: randomBytes(30).toString('base64'),
  };
}
