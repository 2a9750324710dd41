import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { BfcpClient } from './bfcpClient.js';

/** What its BYE needs of the call. */
interface Dialog {
  uri: string;
  callId: string;
  fromTag: string;
  toHeader: string;
  hub: { address: string; port: number };
}

/** What the hub's answer gave a call's content line and floor (RFC 8856). */
interface ContentChannel {
  /** Where the content goes, with the key it is sent in. */
  srtp: (port?: number) => string[];
  port: number;
  /** Where it receives the meeting's presentation (its offer's content port), and the hub's key for it. */
  local: { address: string; port: number; hubKey: string };
  floor: { host: string; port: number; conferenceId: number; userId: number };
}

/**
 * A room system as many Poly and Cisco codecs are: its offer says no SSRC (`a=ssrc`), only its codecs, ports and SDES
 * keys. Node speaks its SIP (one INVITE, the ACK, the BYE over UDP) and ffmpeg sends its media over SRTP: a solid
 * picture in H.264 Constrained Baseline and a tone in G.711 µ-law, each with an SSRC of ffmpeg's choosing. With
 * `content`, its offer has a content line (`a=content:slides`) and BFCP, as a codec with a laptop cable has: it asks
 * for the floor over BFCP (`contentFloor`) and sends its laptop's picture (`sendContent`, a solid colour) once granted.
 */
export class RoomSystemWithoutSsrc {
  readonly #socket: dgram.Socket;
  readonly #ffmpeg: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #dialog: Dialog;
  readonly #content: (ContentChannel & { colour: string }) | undefined;
  readonly #from: string;
  #contentSender: ChildProcess | undefined;

  private constructor(
    socket: dgram.Socket,
    ffmpeg: ChildProcess,
    dialog: Dialog,
    from: string,
    content?: ContentChannel & { colour: string },
  ) {
    this.#socket = socket;
    this.#ffmpeg = ffmpeg;
    this.#exited = once(ffmpeg, 'exit');
    this.#dialog = dialog;
    this.#from = from;
    this.#content = content;
  }

  /** Calls `uri` at the hub's `address:port` from `from` (a loopback address of its own); resolves once the call is up and its media flow. */
  static async call(options: {
    hub: { address: string; port: number };
    uri: string;
    from: string;
    colour: string;
    toneHz: number;
    /** Its laptop's picture, offered as content with BFCP. */
    content?: { colour: string };
  }) {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, options.from, resolve));
    const sipPort = socket.address().port;
    const keys = {
      audio: randomBytes(30).toString('base64'),
      video: randomBytes(30).toString('base64'),
      content: randomBytes(30).toString('base64'),
    };
    const callId = `${randomBytes(8).toString('hex')}@${options.from}`;
    const fromTag = randomBytes(4).toString('hex');
    const offer = [
      'v=0',
      `o=- ${randomInt(1, 2 ** 31)} 1 IN IP4 ${options.from}`,
      's=Phong hop',
      `c=IN IP4 ${options.from}`,
      't=0 0',
      // ports it says it receives on: the hub answers where packets come from (symmetric RTP) in any case
      `m=audio ${20000 + randomInt(0, 4000) * 2} RTP/SAVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${keys.audio}`,
      'a=sendrecv',
      `m=video ${30000 + randomInt(0, 4000) * 2} RTP/SAVP 96`,
      'a=rtpmap:96 H264/90000',
      'a=fmtp:96 packetization-mode=1;profile-level-id=42e01f',
      `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${keys.video}`,
      'a=sendrecv',
      ...(options.content
        ? [
            // numbered as its main video, as room systems number both lines alike
            `m=video ${34000 + randomInt(0, 4000) * 2} RTP/SAVP 96`,
            'a=rtpmap:96 H264/90000',
            'a=fmtp:96 packetization-mode=1;profile-level-id=42e01f',
            'a=content:slides',
            'a=label:3',
            `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${keys.content}`,
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
    const contact = `<sip:phonghop@${options.from}:${sipPort}>`;
    const send = (text: string) => socket.send(Buffer.from(text, 'latin1'), options.hub.port, options.hub.address);
    const request = (method: string, cseq: number, to: string, body = '') =>
      [
        `${method} ${options.uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${options.from}:${sipPort};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
        'Max-Forwards: 70',
        `To: ${to}`,
        `From: "Phong hop khong SSRC" <sip:phonghop@${options.from}>;tag=${fromTag}`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: ${contact}`,
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
    send(request('INVITE', 1, `<${options.uri}>`, offer));
    const answer = await answered.catch((error: unknown) => {
      socket.close();
      throw error;
    });
    const toHeader = /^To: (.*)$/m.exec(answer)![1]!;
    send(request('ACK', 1, toHeader));
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    const hubAddress = /^c=IN IP4 (\S+)/m.exec(body)![1]!;
    const portOf = (kind: string) => Number(new RegExp(`^m=${kind} (\\d+)`, 'm').exec(body)![1]);
    const attribute = (name: string) => new RegExp(`^a=${name}:(\\S+)`, 'm').exec(body)?.[1];
    const srtp = (key: string, port: number) => [
      '-f',
      'rtp',
      '-srtp_out_suite',
      'AES_CM_128_HMAC_SHA1_80',
      '-srtp_out_params',
      key,
      `srtp://${hubAddress}:${port}`,
    ];
    const ffmpeg = spawn(
      'ffmpeg',
      [
        ...['-nostdin', '-nostats', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `color=c=${options.colour}:s=640x360:r=25`],
        ...['-re', '-f', 'lavfi', '-i', `sine=frequency=${options.toneHz}:sample_rate=8000`],
        ...['-map', '0:v', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline'],
        ...['-pix_fmt', 'yuv420p', '-g', '25', '-payload_type', '96', ...srtp(keys.video, portOf('video'))],
        ...['-map', '1:a', '-c:a', 'pcm_mulaw', '-ar', '8000', '-ac', '1', '-payload_type', '0', ...srtp(keys.audio, portOf('audio'))],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const contentPort = [...body.matchAll(/^m=video (\d+)/gm)][1]?.[1];
    const offeredContentPort = Number([...offer.matchAll(/^m=video (\d+)/gm)][1]?.[1]);
    const hubContentKey = body.split(/^m=/m)[3]?.match(/^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:(\S+)/m)?.[1];
    const content =
      options.content && contentPort && Number(contentPort) > 0
        ? {
            colour: options.content.colour,
            port: Number(contentPort),
            srtp: () => srtp(keys.content, Number(contentPort)),
            local: { address: options.from, port: offeredContentPort, hubKey: hubContentKey ?? '' },
            floor: {
              host: hubAddress,
              port: portOf('application'),
              conferenceId: Number(attribute('confid')),
              userId: Number(attribute('userid')),
            },
          }
        : undefined;
    return new RoomSystemWithoutSsrc(
      socket,
      ffmpeg,
      { uri: options.uri, callId, fromTag, toHeader, hub: options.hub },
      options.from,
      content,
    );
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
        ...['-g', '10', '-payload_type', '96', ...content.srtp()],
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
        `m=video ${port} RTP/SAVP 96`,
        'a=rtpmap:96 H264/90000',
        'a=fmtp:96 packetization-mode=1',
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
    const { uri, callId, fromTag, toHeader, hub } = this.#dialog;
    const { address, port } = this.#socket.address();
    const bye = [
      `BYE ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `To: ${toHeader}`,
      `From: "Phong hop khong SSRC" <sip:phonghop@${address}>;tag=${fromTag}`,
      `Call-ID: ${callId}`,
      'CSeq: 2 BYE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.#socket.send(Buffer.from(bye, 'latin1'), hub.port, hub.address);
    if (this.#ffmpeg.exitCode === null && this.#ffmpeg.signalCode === null) this.#ffmpeg.kill('SIGTERM');
    await this.#exited;
    await this.stopContent();
    this.#socket.close();
  }
}
