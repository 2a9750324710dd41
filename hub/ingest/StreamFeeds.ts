import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { types } from 'mediasoup';
import { rtspPull } from '../../camera-gateway/index.js';
import { openRtpInTransport, type MeetingRoom } from '../../media-server/index.js';
import type { FeedHost, FeedSessions } from './FeedSessions.js';
import { RtmpGate } from './rtmp/index.js';
import { secretInput } from '../../processes/index.js';
import { StreamListener, type ProbedStream, type RtpTargets, type StreamListenerOptions } from './StreamListener.js';

/** A pushed feed as the listener needs it. */
export interface StreamFeed {
  id: string;
  meetingId: string;
  name: string;
  kind: 'rtmp' | 'srt' | 'rtsp';
  /** RTMP and SRT: where the listener listens. */
  port: number;
  /** The stream key (RTMP) or passphrase (SRT) the encoder must present; RTSP: the source, with its credentials. */
  secret: string;
}

export interface StreamFeedOptions {
  /** Where the listeners listen (FEED_LISTEN_IP). */
  listenIp: string;
  listenInfo: types.TransportListenInfo;
}

const videoPayloadType = 102;
/** How often a feed's RTMP port that could not be opened is tried again (ffmpeg's listener was, every 0.5 s). */
const gateRetryMs = 3000;
const audioPayloadType = 111;

/**
 * RTMP and SRT feeds, and RTSP pulls: while their meeting is live, a listener waits on each pushed
 * feed's port (an RTSP feed's source is pulled, as a camera is); a push with the right key (RTMP's
 * stream key, SRT's passphrase) or the pulled stream joins the meeting as the feed's site, its video
 * passed on as it is when the browsers can play it (H.264 without B-frames) and transcoded otherwise,
 * its audio as Opus. A push that ends leaves the meeting; the listener waits for the next.
 */
export class StreamFeeds {
  readonly #sessions: FeedSessions;
  readonly #host: FeedHost;
  readonly #options: StreamFeedOptions;
  readonly #log: FastifyBaseLogger;
  readonly #listeners = new Map<string, StreamListener>();
  /** RTMP feeds' ports, held by the hub until an encoder publishes with the key. */
  readonly #gates = new Map<string, Promise<RtmpGate | undefined>>();

  constructor(deps: { sessions: FeedSessions; host: FeedHost; options: StreamFeedOptions; log: FastifyBaseLogger }) {
    this.#sessions = deps.sessions;
    this.#host = deps.host;
    this.#options = deps.options;
    this.#log = deps.log;
  }

  /** Listens for the feed's pushes (again, if it already did). */
  listen(feed: StreamFeed): void {
    this.stop(feed.id);
    const listener = new StreamListener({
      ...listenerInput(feed, this.#options.listenIp),
      log: this.#log,
      onStream: (probed) => this.#join(feed, probed),
    });
    listener.on('ended', (reason) => {
      if (this.#sessions.current(feed.id)) this.#log.info({ ingestId: feed.id, reason }, 'a pushed feed ended');
      this.#sessions.endFeed(feed.id);
    });
    this.#listeners.set(feed.id, listener);
    if (feed.kind === 'rtmp') this.#gates.set(feed.id, this.#openGate(feed, listener));
    else listener.start();
  }

  stop(ingestId: string): void {
    this.#listeners.get(ingestId)?.close();
    this.#listeners.delete(ingestId);
    const gate = this.#gates.get(ingestId);
    this.#gates.delete(ingestId);
    gate?.then((open) => open?.close()).catch((err: unknown) => this.#log.error({ err, ingestId }, 'closing an RTMP feed’s port failed'));
    this.#sessions.endFeed(ingestId);
  }

  /**
   * The feed's RTMP port: a push that published with the key is handed to the listener, one at a time. A port
   * another process holds (a hub still stopping, another program) is tried again until the feed stops.
   */
  async #openGate(feed: StreamFeed, listener: StreamListener): Promise<RtmpGate | undefined> {
    for (let attempt = 1; this.#listeners.get(feed.id) === listener; attempt++) {
      try {
        const gate = await RtmpGate.listen({ host: this.#options.listenIp, port: feed.port, app: 'live', streamKey: feed.secret });
        gate.on('refused', (reason, from) => this.#log.warn({ ingestId: feed.id, reason, from }, 'an RTMP push was refused'));
        gate.on('publish', (flv, from) => {
          this.#log.info({ ingestId: feed.id, from }, 'an RTMP push published with its key');
          listener.once('ended', () => gate.endPush());
          listener.start(flv);
        });
        if (attempt > 1) this.#log.info({ ingestId: feed.id, port: feed.port, attempt }, 'an RTMP feed’s port is open now');
        return gate;
      } catch (err) {
        if (attempt === 1)
          this.#log.error({ err, ingestId: feed.id, port: feed.port }, 'an RTMP feed’s port could not be opened: trying again every 3 s');
        await new Promise((resolve) => setTimeout(resolve, gateRetryMs));
      }
    }
    return undefined;
  }

  close(): void {
    for (const id of [...this.#listeners.keys()]) this.stop(id);
  }

  /** A push arrived: the feed's peer joins with a producer per kind, and the sender is told where to send. */
  async #join(feed: StreamFeed, probed: ProbedStream): Promise<RtpTargets> {
    const place = await this.#host.feedRoom(feed.meetingId);
    if (!place) throw new Error('the meeting is not live');
    const session = await this.#sessions.open(feed, place);
    try {
      const targets: RtpTargets = {};
      const producers = [];
      if (probed.video) {
        const transcode = probed.video.codec !== 'h264' || probed.video.bFrames;
        const ssrc = randomInt(1, 2 ** 31);
        const { transport, producer } = await this.#produce(place.room, session.peerId, 'video', {
          codecs: [
            {
              mimeType: 'video/H264',
              clockRate: 90000,
              payloadType: videoPayloadType,
              // Chromium decodes any profile: Main and High are offered as Main (it negotiates no High)
              parameters: {
                'packetization-mode': 1,
                'profile-level-id': transcode || /baseline/i.test(probed.video.profile) ? '42e01f' : '4d0032',
                // as the meeting router's: a viewer decoding at another level still takes it
                'level-asymmetry-allowed': 1,
              },
              rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
            },
          ],
          encodings: [{ ssrc }],
        });
        producers.push(producer);
        targets.video = {
          port: transport.tuple.localPort,
          rtcpPort: transport.rtcpTuple!.localPort,
          payloadType: videoPayloadType,
          ssrc,
          transcode,
        };
      }
      if (probed.audio) {
        const ssrc = randomInt(1, 2 ** 31);
        const { transport, producer } = await this.#produce(place.room, session.peerId, 'audio', {
          codecs: [{ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: audioPayloadType }],
          encodings: [{ ssrc }],
        });
        producers.push(producer);
        targets.audio = { port: transport.tuple.localPort, rtcpPort: transport.rtcpTuple!.localPort, payloadType: audioPayloadType, ssrc };
      }
      this.#sessions.announce(session, feed.name, producers);
      this.#log.info({ ingestId: feed.id, probed }, 'a pushed feed joined the meeting');
      return targets;
    } catch (error) {
      this.#sessions.end(session);
      throw error;
    }
  }

  async #produce(room: MeetingRoom, peerId: string, kind: 'audio' | 'video', rtpParameters: types.RtpParameters) {
    const transport = await openRtpInTransport(room, peerId, this.#options.listenInfo);
    const producer = await room.produce(peerId, {
      transportId: transport.id,
      kind,
      rtpParameters,
      source: kind === 'audio' ? 'microphone' : 'camera',
    });
    return { transport, producer };
  }
}

/** ffmpeg's input for the feed: RTMP's FLV from the hub's gate; SRT's listener (it decrypts with the passphrase) or RTSP's pull, named on ffmpeg's stdin. */
function listenerInput(feed: StreamFeed, listenIp: string): Pick<StreamListenerOptions, 'input' | 'inputOptions' | 'script' | 'retryMs'> {
  if (feed.kind === 'rtmp') return { input: 'pipe:0', inputOptions: ['-f', 'flv'] };
  // pulled as a camera is (RTSP only, over TCP), tried again every few seconds while the source is down
  const { input, options, script } =
    feed.kind === 'rtsp'
      ? rtspPull(feed.secret)
      : secretInput(`srt://${listenIp.includes(':') ? `[${listenIp}]` : listenIp}:${feed.port}`, ['srt', 'udp'], {
          mode: 'listener',
          passphrase: feed.secret,
          pbkeylen: '16',
          latency: '200000',
        });
  return { input, inputOptions: options, script, retryMs: feed.kind === 'rtsp' ? 3000 : undefined };
}

/** The address an encoder pushes to (the secret in it: shown once, when the feed is added). */
export function pushUrl(kind: 'rtmp' | 'srt', hostname: string, port: number, secret?: string): string {
  if (kind === 'rtmp') return `rtmp://${hostname}:${port}/live${secret ? `/${secret}` : ''}`;
  return `srt://${hostname}:${port}${secret ? `?passphrase=${secret}&pbkeylen=16` : ''}`;
}
