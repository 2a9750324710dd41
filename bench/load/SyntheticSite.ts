import crypto from 'node:crypto';
import type {
  ConsumeResponse,
  JoinMeetingResponse,
  PeerInfo,
  PeerProducerInfo,
  RtpCapabilities,
  VideoTile,
} from '../../shared/protocol.js';
import { withoutBandwidthEstimation } from './capabilities.js';
import type { SiteClip } from './clip.js';
import { signIn } from '../signIn.js';
import { HubConnection } from './HubConnection.js';
import { SiteReceiver, type ReceivedStream } from './SiteReceiver.js';
import { SiteSender } from './SiteSender.js';
import { SrtpSession } from './SrtpSession.js';

const audioLevelUri = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** What the page shows at once besides the large tile (client/src/components/MeetingStage.tsx). */
const thumbnails = 8;
const videoFeedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }];

export interface SyntheticSiteOptions {
  base: string;
  username: string;
  meetingId: string;
  clip: SiteClip;
  /** What the microphone hears; undefined: the site keeps it muted. */
  voice?: 'speaking' | 'room';
  /** Forward everything (the hub before last-N): every camera resumed at its top layer. */
  forwardAll: boolean;
  /**
   * Of the other sites (in the order they joined), those whose cameras it always shows as thumbnails, before the page's
   * others: a probe of what they send (the hub shows at most nine videos a page).
   */
  watch?: (others: PeerInfo[]) => PeerInfo[];
}

interface Shown {
  consumerId: string;
  stream: ReceivedStream;
  /** 2 on the large tile, 0 as a thumbnail, null: paused. */
  layer: number | null;
  /** Where it is shown, as the page tells the hub (a thumbnail is lowered first when the hub runs short). */
  tile: VideoTile;
}

/**
 * One bridge point driven the way its page drives the hub: signs in, joins, opens a send and a
 * receive transport (load-test PlainTransports), sends its camera and microphone, and consumes what
 * the page would show: the large tile (chair's spotlight, floor, else the active speaker) at the top
 * layer, eight thumbnails at the lowest, every unmuted microphone; it follows speaker changes,
 * arrivals and departures, and the hub's dynacast requests.
 */
export class SyntheticSite {
  readonly username: string;
  readonly receiver = new SiteReceiver();
  sender?: SiteSender;
  siteCode = '';
  /** Performance-clock times: joined (media sent, shown videos resumed), its large tile's first whole key frame. */
  joinedAt?: number;
  /**
   * Where the join's time went, ms per step: `connect`, `join` and `transports` one after the other (capabilities
   * with the transports), then `produce` and `consume` side by side, each from the same start, as the page does.
   */
  readonly joinSteps: Record<'connect' | 'join' | 'transports' | 'produce' | 'consume', number> = {
    connect: 0,
    join: 0,
    transports: 0,
    produce: 0,
    consume: 0,
  };
  readonly #options: SyntheticSiteOptions;
  #connection?: HubConnection;
  #token?: string;
  #peerId = '';
  #host = '';
  readonly #peers = new Map<string, PeerInfo>();
  readonly #videos = new Map<string, Shown>();
  /** Microphone producer → its consumer (undefined while being created). */
  readonly #audio = new Map<string, string | undefined>();
  #activeSpeaker: string | null = null;
  #large: string | null = null;
  /** producer:new for a peer not known yet (its join answer is still on its way). */
  readonly #early = new Map<string, { peerId: string; producer: PeerProducerInfo }>();
  #recvTransportId = '';
  #reconciling: Promise<void> = Promise.resolve();
  readonly errors: string[] = [];

  constructor(options: SyntheticSiteOptions) {
    this.#options = options;
    this.username = options.username;
  }

  /** The large tile's stream now (undefined until it has one). */
  /** The site's peer in the meeting's room, once joined. */
  get peerId(): string {
    return this.#peerId;
  }

  /** Who the hub last named the active speaker to this site (its node decides, with several). */
  get activeSpeakerPeerId(): string | null {
    return this.#activeSpeaker;
  }

  get largeStream(): ReceivedStream | undefined {
    return this.#large ? this.#videos.get(this.#large)?.stream : undefined;
  }

  /** The streams of the cameras it watches (`watch`), once their consumers exist. */
  get watchedStreams(): ReceivedStream[] {
    return this.#watched().flatMap((peer) => {
      const shown = this.#videos.get(peer.peerId);
      return shown ? [shown.stream] : [];
    });
  }

  #watched(): PeerInfo[] {
    return this.#options.watch?.([...this.#peers.values()].filter((p) => p.peerId !== this.#peerId)) ?? [];
  }

  /** Its thumbnails as the page shows them (not those it watches beyond them). */
  get thumbnailStreams(): ReceivedStream[] {
    const watched = new Set(this.#watched().map((p) => p.peerId));
    return [...this.#videos.entries()]
      .filter(([peerId, v]) => peerId !== this.#large && v.layer !== null && !watched.has(peerId))
      .map(([, v]) => v.stream);
  }

  get audioStreams(): ReceivedStream[] {
    return [...this.receiver.streams.values()].filter((s) => s.codec === 'opus');
  }

  /**
   * Signs the site's account in (before the storm: a bridge point's page keeps its session from
   * earlier in the day, so at 8 a.m. it only connects and joins).
   */
  async signIn(): Promise<void> {
    this.#token = (await signIn(this.#options.base, this.username)).token;
  }

  async join(): Promise<void> {
    const { base, meetingId, clip } = this.#options;
    if (!this.#token) throw new Error('signIn() first');
    let stepStart = performance.now();
    const step = (name: keyof SyntheticSite['joinSteps']) => {
      const now = performance.now();
      this.joinSteps[name] = now - stepStart;
      stepStart = now;
    };
    const connection = await HubConnection.open(base, this.#token);
    step('connect');
    this.#connection = connection;
    this.#listen(connection);
    const joined: JoinMeetingResponse = await connection.request('meeting:join', { meetingId });
    if (!joined.admitted) throw new Error(`${this.username} waits in the lobby: start the meeting first`);
    this.siteCode = joined.siteCode;
    this.#peerId = joined.peerId;
    this.#host = joined.meeting.hostBridgePointCode;
    this.#activeSpeaker = joined.activeSpeakerPeerId;
    for (const peer of joined.peers) {
      // announced meanwhile (peer:joined, producer:new before this answer): kept, with what the list has
      const known = this.#peers.get(peer.peerId);
      const producers = [
        ...(known?.producers ?? []),
        ...peer.producers.filter((p) => !known?.producers.some((k) => k.producerId === p.producerId)),
      ];
      this.#peers.set(peer.peerId, { ...peer, producers });
    }
    this.#takeEarlyProducers();
    step('join');

    // as the page (MeetingClient): its capabilities and both transports side by side
    const rtpCapabilities = withoutBandwidthEstimation(joined.routerRtpCapabilities);
    const local = new SrtpSession();
    const [, send, recv] = await Promise.all([
      connection.request('meeting:setRtpCapabilities', { rtpCapabilities }),
      connection.request('transport:createPlain', { direction: 'send' }),
      connection.request('transport:createPlain', { direction: 'recv' }),
    ]);
    this.#recvTransportId = recv.id;
    const ssrcBase = (crypto.randomBytes(4).readUInt32BE() & 0x7fff_ff00) >>> 0;
    const sender = new SiteSender(
      clip,
      {
        videoSsrcs: [ssrcBase + 1, ssrcBase + 2, ssrcBase + 3],
        audioSsrc: ssrcBase + 10,
        videoPayloadType: 101,
        audioPayloadType: 100,
        audioLevelExtensionId: extensionId(rtpCapabilities, audioLevelUri),
      },
      local,
    );
    this.sender = sender;
    sender.voice = this.#options.voice ?? 'silent';
    const [sendPort, recvPort] = await Promise.all([sender.bind(), this.receiver.bind()]);
    sender.connect(send.port, new SrtpSession(send.srtpParameters.keyBase64));
    this.receiver.setRemote(new SrtpSession(recv.srtpParameters.keyBase64));
    const srtpParameters = { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const, keyBase64: local.keyBase64 };
    await Promise.all([
      connection.request('transport:connectPlain', { transportId: send.id, ip: '127.0.0.1', port: sendPort, srtpParameters }),
      connection.request('transport:connectPlain', { transportId: recv.id, ip: '127.0.0.1', port: recvPort, srtpParameters }),
    ]);
    step('transports');
    // as the page: its own media produced while the others' are consumed
    const sideBySide = performance.now();
    const took = (name: 'produce' | 'consume') => () => (this.joinSteps[name] = performance.now() - sideBySide);
    await Promise.all([
      this.#produce(connection, send.id, sender).then(took('produce')),
      this.#consumeAll([...this.#peers.values()]).then(took('consume')),
    ]);
    this.joinedAt = performance.now();
  }

  /** The chair's "mute all": every other site's microphone is paused in the SFU. */
  async muteAll(): Promise<number> {
    return (await this.#connection!.request('chair:muteAll', {})).muted;
  }

  close(): void {
    this.#connection?.close();
    this.sender?.close();
    this.receiver.close();
  }

  async #produce(connection: HubConnection, transportId: string, sender: SiteSender): Promise<void> {
    const cname = `${this.siteCode}-${this.#peerId}`;
    const { plan } = sender;
    await connection.request('producer:create', {
      transportId,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: {
        codecs: [
          { mimeType: 'audio/opus', payloadType: plan.audioPayloadType, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } },
        ],
        headerExtensions: [{ uri: audioLevelUri, id: plan.audioLevelExtensionId }],
        encodings: [{ ssrc: plan.audioSsrc }],
        rtcp: { cname },
      },
      // a muted site's page produces its microphone paused
      paused: this.#options.voice === undefined,
    });
    sender.startAudio();
    await connection.request('producer:create', {
      transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: plan.videoPayloadType, clockRate: 90000, rtcpFeedback: videoFeedback }],
        encodings: plan.videoSsrcs.map((ssrc) => ({ ssrc, scalabilityMode: 'L1T3' })),
        rtcp: { cname },
      },
    });
    sender.startVideo();
  }

  #listen(connection: HubConnection): void {
    const { socket } = connection;
    /** Handles a push from the hub; what fails is counted as an error of the run. */
    const run = (what: string, action: () => Promise<void>): void => {
      action().catch((error: unknown) => this.errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
    };
    socket.on('peer:joined', (peer) => {
      this.#peers.set(peer.peerId, peer);
      this.#takeEarlyProducers();
      run('peer joined', () => this.#consumeAll([peer]));
    });
    socket.on('producer:new', ({ peerId, ...producer }) => {
      const peer = this.#peers.get(peerId);
      if (peer && !peer.producers.some((p) => p.producerId === producer.producerId)) peer.producers.push(producer);
      // before the join's answer (a site on another node produced meanwhile): kept until its peer is known
      if (!peer) this.#early.set(producer.producerId, { peerId, producer });
      run('producer new', async () => {
        await this.#producerAdded(peerId, producer);
        await this.#reconcile();
      });
    });
    socket.on('producer:resumed', ({ peerId, producerId }) => {
      const producer = this.#peers.get(peerId)?.producers.find((p) => p.producerId === producerId);
      if (!producer) return;
      producer.paused = false;
      run('producer resumed', () => this.#producerAdded(peerId, producer));
    });
    // as the page: a muted microphone's consumer is dropped (a meeting muted by the chair holds none)
    socket.on('producer:paused', ({ peerId, producerId }) => {
      const producer = this.#peers.get(peerId)?.producers.find((p) => p.producerId === producerId);
      if (producer) producer.paused = true;
      if (!this.#audio.has(producerId)) return;
      const consumerId = this.#audio.get(producerId);
      this.#audio.delete(producerId);
      // still being made: closed as soon as it exists
      if (!consumerId) return;
      run('producer paused', async () => {
        await connection.request('consumer:close', { consumerId });
      });
    });
    socket.on('peer:left', ({ peerId }) => {
      this.#peers.delete(peerId);
      this.#videos.delete(peerId);
      run('peer left', () => this.#reconcile());
    });
    socket.on('activeSpeaker:changed', ({ peerId }) => {
      this.#activeSpeaker = peerId;
      run('active speaker', () => this.#reconcile());
    });
    socket.on('producer:maxSpatialLayer', ({ spatialLayer }) => this.sender?.setMaxSpatialLayer(spatialLayer));
  }

  /** The peers' microphones and the cameras shown, all requested at once (as the page's subscriptions). */
  async #consumeAll(peers: PeerInfo[]): Promise<void> {
    await Promise.all([
      ...peers.flatMap((peer) => peer.producers.map((producer) => this.#producerAdded(peer.peerId, producer))),
      this.#reconcile(),
    ]);
  }

  /** Producers announced before their peer was known join their peer's list. */
  #takeEarlyProducers(): void {
    for (const [producerId, { peerId, producer }] of this.#early) {
      const peer = this.#peers.get(peerId);
      if (!peer) continue;
      this.#early.delete(producerId);
      if (!peer.producers.some((p) => p.producerId === producerId)) peer.producers.push(producer);
    }
  }

  /** A microphone is consumed once unmuted (and forwarded when among the loudest); a camera when shown. */
  async #producerAdded(peerId: string, producer: PeerProducerInfo): Promise<void> {
    if (producer.kind !== 'audio' || producer.paused || this.#audio.has(producer.producerId) || !this.#recvTransportId) return;
    this.#audio.set(producer.producerId, undefined);
    const consumer = await this.#connection!.request('consumer:create', { producerId: producer.producerId });
    this.receiver.expect(ssrcOf(consumer), 'opus');
    if (!this.#audio.has(producer.producerId)) {
      // muted while the consumer was being made
      await this.#connection!.request('consumer:close', { consumerId: consumer.consumerId });
      return;
    }
    this.#audio.set(producer.producerId, consumer.consumerId);
    await this.#connection!.request('consumer:resume', { consumerId: consumer.consumerId });
  }

  /** Applies what the page shows now, one change at a time (as the page's VideoSubscriptions). */
  #reconcile(): Promise<void> {
    this.#reconciling = this.#reconciling.then(() => this.#applyShown());
    return this.#reconciling;
  }

  async #applyShown(): Promise<void> {
    if (!this.#recvTransportId) return;
    const connection = this.#connection!;
    // as the page (MeetingStage): the tiles are every other site, with or without a camera yet; a tile's
    // video is consumed once its camera exists, in its place
    const others = [...this.#peers.values()].filter((p) => p.peerId !== this.#peerId);
    const main =
      others.find((p) => p.peerId === this.#activeSpeaker) ??
      others.find((p) => p.peerId === this.#large) ??
      others.find((p) => p.bridgePointCode === this.#host) ??
      others[0];
    this.#large = main?.peerId ?? null;
    const watched = this.#watched().filter((p) => p !== main);
    const shownTiles = this.#options.forwardAll
      ? others
      : [...(main ? [main] : []), ...watched, ...others.filter((p) => p !== main && !watched.includes(p))].slice(0, 1 + thumbnails);
    // forwarding everything: every camera resumed at the layer the SFU picks (the top one), as before last-N
    const wanted = new Map<string, number | undefined>();
    for (const peer of shownTiles.filter((p) => cameraOf(p)))
      wanted.set(peer.peerId, this.#options.forwardAll ? undefined : peer === main ? 2 : 0);
    for (const [peerId, shown] of this.#videos)
      if (shown.layer !== null && !wanted.has(peerId)) {
        shown.layer = null;
        await connection.request('consumer:pause', { consumerId: shown.consumerId });
      }
    // as the page: the tiles to show are made side by side
    await Promise.all(
      [...wanted].map(([peerId, layer]) =>
        this.#showAt(connection, peerId, layer, peerId === main?.peerId || this.#options.forwardAll ? 'large' : 'thumbnail'),
      ),
    );
  }

  async #showAt(connection: HubConnection, peerId: string, layer: number | undefined, tile: VideoTile): Promise<void> {
    let shown = this.#videos.get(peerId);
    const target = layer ?? 2;
    if (shown?.layer === target && shown.tile === tile) return;
    // a new consumer is made at its layer, a kept one is given the layer before its resume
    if (!shown) {
      const consumer: ConsumeResponse = await connection.request('consumer:create', {
        producerId: cameraOf(this.#peers.get(peerId)!)!.producerId,
        spatialLayer: layer,
        tile,
      });
      const codec = consumer.rtpParameters.codecs[0]?.mimeType.toLowerCase() === 'video/h264' ? 'H264' : 'VP8';
      shown = { consumerId: consumer.consumerId, stream: this.receiver.expect(ssrcOf(consumer), codec), layer: null, tile };
      this.#videos.set(peerId, shown);
    } else if (layer !== undefined)
      await connection.request('consumer:setPreferredLayers', { consumerId: shown.consumerId, spatialLayer: layer, tile });
    if (shown.layer === null) await connection.request('consumer:resume', { consumerId: shown.consumerId });
    shown.layer = target;
    shown.tile = tile;
  }
}

function cameraOf(peer: PeerInfo): PeerProducerInfo | undefined {
  return peer.producers.find((p) => p.source === 'camera');
}

function ssrcOf(consumer: ConsumeResponse): number {
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (ssrc === undefined) throw new Error('a consumer without an SSRC');
  return ssrc;
}

function extensionId(capabilities: RtpCapabilities, uri: string): number {
  const extension = capabilities.headerExtensions?.find((e) => e.uri === uri && (e.kind === undefined || e.kind === 'audio'));
  const id = extension?.preferredId;
  if (typeof id !== 'number') throw new Error(`the router offers no ${uri}`);
  return id;
}
