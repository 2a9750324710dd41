import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { describe, inviteHub, newKeys, sendBye, type Dialog } from '../../test/support/roomSystemWithoutSsrc.js';
import type { RoomSystemClip } from './clip.js';
import { isRtcp, keyFrameRequest, rtpPacket } from './rtp.js';
import { ReceivedStream } from './SiteReceiver.js';
import { SrtpSession } from './SrtpSession.js';

/** An H.264 packet's payload at most (RFC 6184 FU-A beyond it), as room systems keep under a LAN's MTU. */
const maxPayload = 1180;
const videoClock = 90_000;
/** A decoder without a picture asks again this often. */
const keyFrameRequestMs = 500;

/** One media line of the call: its socket (it sends from where it receives, as room systems do) and what arrives on it. */
interface Line {
  socket: dgram.Socket;
  to: { address: string; port: number; rtcpPort: number };
  payloadType: number;
  ssrc: number;
  seq: number;
  local: SrtpSession;
  received: ReceivedStream;
  /** The SSRC the hub sends on this line, from its first packet. */
  receivedSsrc?: number;
}

/**
 * A room system in the busiest hour: it dials the meeting's conference ID with its PIN over SIP (UDP) as a Poly or Cisco
 * codec does (its offer says no SSRC), then sends a recorded call, H.264 1280×720 at 25 fps and G.711 µ-law, over SDES
 * SRTP, paced by `tick`. It counts what the hub sends it from the headers (SRTP leaves them in the clear): the program's
 * frames and the mix-minus's packets with their sequence gaps, and when the program's first whole key frame came (asked
 * for with a PLI until then, as its decoder would).
 */
export class RoomSystemCall {
  readonly dialledAt: number;
  readonly #socket: dgram.Socket;
  readonly #dialog: Dialog;
  readonly #clip: RoomSystemClip;
  readonly #audio: Line;
  readonly #video: Line;
  #startedAt = -1;
  #picturesSent = 0;
  #voiceSent = 0;
  #keyFrameAskedAt = -Infinity;
  packetsSent = 0;

  private constructor(
    sip: { socket: dgram.Socket; dialog: Dialog },
    clip: RoomSystemClip,
    lines: { audio: Line; video: Line },
    dialledAt: number,
  ) {
    this.#socket = sip.socket;
    this.#dialog = sip.dialog;
    this.#clip = clip;
    this.#audio = lines.audio;
    this.#video = lines.video;
    this.dialledAt = dialledAt;
  }

  /** Dials `uri` at the hub from `from` (a loopback address of its own); resolves once the hub answered. */
  static async dial(options: {
    from: string;
    hub: { address: string; port: number };
    uri: string;
    clip: RoomSystemClip;
  }): Promise<RoomSystemCall> {
    const dialledAt = performance.now();
    const sockets = { audio: await boundSocket(options.from), video: await boundSocket(options.from) };
    try {
      const keys = newKeys();
      const offer = describe(
        { from: options.from, ports: { audio: sockets.audio.address().port, video: sockets.video.address().port } },
        keys,
        { audio: 0, video: 96 },
      );
      const sip = await inviteHub({ from: options.from, hub: options.hub, uri: options.uri, offer });
      const address = /^c=IN IP4 (\S+)/m.exec(sip.answer)?.[1];
      const [audioLine, videoLine] = sip.answer.split(/^m=/m).slice(1);
      if (!address || !audioLine?.startsWith('audio') || !videoLine?.startsWith('video') || / 0 RTP/.test(videoLine))
        throw new Error(`the hub's answer takes no sound or no picture:\n${sip.answer}`);
      const line = (kind: 'audio' | 'video', text: string, ourKey: string): Line => {
        const [, port, payloadType] = /^\w+ (\d+) RTP\/SAVP (\d+)/.exec(text)!;
        const hubKey = /^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:(\S+)/m.exec(text)![1]!;
        const rtcpPort = Number(/^a=rtcp:(\d+)/m.exec(text)?.[1] ?? Number(port) + 1);
        const received = new ReceivedStream(kind === 'video' ? 'H264' : 'opus');
        const hubs = new SrtpSession(hubKey);
        const line: Line = {
          socket: sockets[kind],
          to: { address, port: Number(port), rtcpPort },
          payloadType: Number(payloadType),
          ssrc: randomInt(1, 2 ** 31),
          seq: randomInt(0, 0x8000),
          local: new SrtpSession(ourKey),
          received,
        };
        sockets[kind].on('message', (packet) => {
          if (packet.length < 12 || isRtcp(packet)) return;
          line.receivedSsrc ??= packet.readUInt32BE(8);
          received.add(packet, hubs);
        });
        return line;
      };
      return new RoomSystemCall(
        sip,
        options.clip,
        { audio: line('audio', audioLine, keys.audio), video: line('video', videoLine, keys.video) },
        dialledAt,
      );
    } catch (error) {
      sockets.audio.close();
      sockets.video.close();
      throw error;
    }
  }

  /** The program's picture as the call receives it. */
  get program(): ReceivedStream {
    return this.#video.received;
  }

  /** The call's mix-minus as it receives it. */
  get mix(): ReceivedStream {
    return this.#audio.received;
  }

  /** Sends what is due by `now` (performance clock): the clip's pictures at 25 fps and its voice every 20 ms, looped. */
  tick(now: number): void {
    if (this.#startedAt < 0) this.#startedAt = now;
    const elapsedMs = now - this.#startedAt;
    const { pictures, voice, fps } = this.#clip;
    for (; this.#picturesSent < Math.floor((elapsedMs * fps) / 1000); this.#picturesSent++) {
      const picture = pictures[this.#picturesSent % pictures.length]!;
      const timestamp = Math.round((this.#picturesSent * videoClock) / fps);
      const payloads = picture.nals.flatMap(fragments);
      for (const [i, payload] of payloads.entries()) this.#send(this.#video, payload, timestamp, i === payloads.length - 1);
    }
    for (; this.#voiceSent < Math.floor(elapsedMs / 20); this.#voiceSent++)
      this.#send(this.#audio, voice[this.#voiceSent % voice.length]!, this.#voiceSent * 160, this.#voiceSent === 0);
    // as its decoder does: a key frame asked for until the program's first one is whole
    const video = this.#video;
    if (
      video.received.firstKeyFrameAt === undefined &&
      video.receivedSsrc !== undefined &&
      now - this.#keyFrameAskedAt >= keyFrameRequestMs
    ) {
      this.#keyFrameAskedAt = now;
      const request = video.local.protectRtcp(keyFrameRequest(video.ssrc, video.receivedSsrc));
      video.socket.send(request, video.to.rtcpPort, video.to.address);
    }
  }

  /** Hangs up (BYE) and closes its sockets. */
  hangUp(): void {
    sendBye(this.#socket, this.#dialog);
    for (const socket of [this.#socket, this.#audio.socket, this.#video.socket]) socket.close();
  }

  #send(line: Line, payload: Buffer, timestamp: number, marker: boolean): void {
    const packet = rtpPacket({ payloadType: line.payloadType, marker, sequenceNumber: line.seq++, timestamp, ssrc: line.ssrc }, payload);
    line.socket.send(line.local.protectRtp(packet), line.to.port, line.to.address);
    this.packetsSent++;
  }
}

/** A NAL unit as RTP payloads: itself when it fits, else FU-A fragments (RFC 6184 §5.8). */
function fragments(nal: Buffer): Buffer[] {
  if (nal.length <= maxPayload) return [nal];
  const header = nal[0]!;
  const payloads: Buffer[] = [];
  for (let offset = 1; offset < nal.length; offset += maxPayload - 2) {
    const end = Math.min(offset + maxPayload - 2, nal.length);
    const indicator = (header & 0xe0) | 28;
    const fuHeader = (offset === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | (header & 0x1f);
    payloads.push(Buffer.concat([Buffer.from([indicator, fuHeader]), nal.subarray(offset, end)]));
  }
  return payloads;
}

async function boundSocket(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  // a send to a port that closed (the call ended first) loses that packet only
  socket.on('error', () => undefined);
  return socket;
}
