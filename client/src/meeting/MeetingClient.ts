import { EventEmitter } from 'eventemitter3';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { MeetingState } from '../../../shared/meetings';
import type { ClientToServerEvents, MediaSource, PeerInfo, PeerProducerInfo, TransportOptionsResponse } from '../../../shared/protocol';
import type { ConnectionState, JoinOptions, LocalMediaState, MeetingClientEvents, RemoteSite } from './MeetingClientTypes';
import { ReconnectPolicy } from './ReconnectPolicy';
import { SignallingChannel } from './SignallingChannel';

/** Three simulcast layers; the SFU forwards the one each viewer's tile needs. */
const cameraEncodings: RTCRtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/** Highest spatial layer for the large tile, lowest for the small ones. */
export const FOCUSED_LAYER = 2;
export const THUMBNAIL_LAYER = 0;

/**
 * A bridge point's side of a meeting: signalling, the mediasoup-client Device, one send and one
 * receive transport, camera + microphone producers and a consumer per remote track.
 */
export class MeetingClient extends EventEmitter<MeetingClientEvents> {
  readonly #channel: SignallingChannel;
  readonly #policy: ReconnectPolicy;
  #options?: JoinOptions;
  #state: ConnectionState = 'idle';
  #device?: Device;
  #sendTransport?: types.Transport;
  #recvTransport?: types.Transport;
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  readonly #sites = new Map<string, RemoteSite>();
  #local: LocalMediaState = { cameraMuted: false, microphoneMuted: false, mutedByChair: false };
  #meeting: MeetingState | null = null;
  #siteCode: string | null = null;
  #isChair = false;
  #closedBy: 'ended' | 'removed' | null = null;
  #focusedPeerId: string | null = null;
  #activeSpeaker: string | null = null;
  #leaving = false;

  constructor(token: () => string | undefined, serverUrl?: string, policy = new ReconnectPolicy()) {
    super();
    this.#channel = new SignallingChannel(serverUrl, token);
    this.#policy = policy;
    this.#listen();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get sites(): RemoteSite[] {
    return [...this.#sites.values()];
  }

  get meeting(): MeetingState | null {
    return this.#meeting;
  }

  /** The site this client speaks for, known once joined (the chair's is the host site). */
  get siteCode(): string | null {
    return this.#siteCode;
  }

  get isChair(): boolean {
    return this.#isChair;
  }

  /** Sends a meeting command (chair controls, raised hand, roll-call answer); throws the server's refusal. */
  command<E extends 'hand:raise' | 'rollCall:confirm' | `chair:${string}`>(
    event: E & keyof ClientToServerEvents,
    payload: Parameters<ClientToServerEvents[E & keyof ClientToServerEvents]>[0],
  ) {
    return this.#channel.request(event, payload);
  }

  async join(options: JoinOptions): Promise<void> {
    this.#options = options;
    this.#leaving = false;
    this.#closedBy = null;
    this.#setState('connecting');
    try {
      if (!this.#local.stream) await this.#openLocalMedia();
      await this.#channel.connect();
      await this.#joinOnce();
    } catch (error) {
      this.#setState('failed', error as Error);
      throw error;
    }
  }

  async leave(): Promise<void> {
    this.#leaving = true;
    if (this.#channel.socket.connected) await this.#channel.request('meeting:leave', {}).catch(() => undefined);
    this.#stop('left');
  }

  #stop(state: ConnectionState): void {
    this.#teardownMedia();
    for (const track of this.#local.stream?.getTracks() ?? []) track.stop();
    this.#local = { cameraMuted: false, microphoneMuted: false, mutedByChair: false };
    this.emit('localMediaChanged', this.#local);
    this.#setState(state);
  }

  close(): void {
    this.#channel.close();
  }

  async setMuted(source: MediaSource, muted: boolean): Promise<void> {
    if (source === 'microphone' && !muted && this.#local.mutedByChair) return;
    const producer = this.#producers.get(source);
    if (producer) {
      if (muted) producer.pause();
      else producer.resume();
      await this.#channel.request(muted ? 'producer:pause' : 'producer:resume', { producerId: producer.id });
    }
    this.#local = { ...this.#local, [source === 'camera' ? 'cameraMuted' : 'microphoneMuted']: muted };
    this.emit('localMediaChanged', this.#local);
  }

  /** The site shown large: its video is asked for at the top layer, every other site's at the lowest. */
  async setFocus(peerId: string | null): Promise<void> {
    this.#focusedPeerId = peerId;
    await Promise.all([...this.#consumers.values()].map((c) => this.#applyLayers(c)));
  }

  async #openLocalMedia(): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true },
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25 } },
    });
    this.#local = { ...this.#local, stream };
    this.emit('localMediaChanged', this.#local);
  }

  async #joinOnce(): Promise<void> {
    const options = this.#options;
    if (!options) throw new Error('join() first');
    const joined = await this.#channel.request('meeting:join', { meetingId: options.meetingId });
    this.#siteCode = joined.siteCode;
    this.#isChair = joined.isChair;
    this.#applyMeetingState(joined.meeting);
    if (!joined.admitted) {
      this.#setState('waiting');
      return;
    }
    const device = new Device();
    await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
    this.#device = device;
    await this.#channel.request('meeting:setRtpCapabilities', { rtpCapabilities: device.recvRtpCapabilities });
    this.#recvTransport = await this.#createTransport('recv');
    this.#sendTransport = await this.#createTransport('send');
    this.#setActiveSpeaker(joined.activeSpeakerPeerId);
    for (const peer of joined.peers) this.#addSite(peer);
    await this.#produceLocalTracks();
    await Promise.all(joined.peers.flatMap((peer) => peer.producers.map((p) => this.#consume(peer.peerId, p))));
    this.#setState('joined');
  }

  #applyMeetingState(state: MeetingState): void {
    const mine = state.sites.find((s) => s.code === this.#siteCode);
    this.#meeting = state;
    this.emit('meetingStateChanged', state);
    if (mine && mine.mutedByChair !== this.#local.mutedByChair) {
      // The SFU already holds (or released) the microphone; mirror it so the site sees why.
      this.#local = { ...this.#local, mutedByChair: mine.mutedByChair };
      if (mine.mutedByChair) {
        this.#producers.get('microphone')?.pause();
        this.#local = { ...this.#local, microphoneMuted: true };
        this.emit('localMediaChanged', this.#local);
      } else {
        this.setMuted('microphone', false).catch((error: unknown) => console.warn('could not unmute after the chair allowed it', error));
      }
    }
    if (this.#state === 'waiting' && state.status === 'LIVE') this.#joinOnce().catch((error: Error) => this.#setState('failed', error));
  }

  async #createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const device = this.#device!;
    const params: TransportOptionsResponse = await this.#channel.request('transport:create', { direction });
    // mediasoup-client still types the deprecated `ip` field; it reads `address` first.
    const options = {
      ...params,
      iceCandidates: params.iceCandidates as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters as types.DtlsParameters,
    };
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#channel.request('transport:connect', { transportId: transport.id, dtlsParameters }).then(callback, errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = appData.source as MediaSource;
        this.#channel
          .request('producer:create', { transportId: transport.id, kind, rtpParameters, source })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state !== 'failed' || this.#leaving) return;
      this.#channel
        .request('transport:restartIce', { transportId: transport.id })
        .then(({ iceParameters }) => transport.restartIce({ iceParameters }))
        .catch(() => undefined);
    });
    return transport;
  }

  async #produceLocalTracks(): Promise<void> {
    const transport = this.#sendTransport!;
    const stream = this.#local.stream!;
    const [video] = stream.getVideoTracks();
    const [audio] = stream.getAudioTracks();
    if (video) {
      const mimeType = `video/${this.#options?.videoCodec ?? 'vp8'}`;
      const codec = this.#device!.sendRtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType);
      const producer = await transport.produce({
        track: video,
        encodings: cameraEncodings,
        codec,
        appData: { source: 'camera' },
        stopTracks: false,
      });
      this.#producers.set('camera', producer);
      if (this.#local.cameraMuted) await this.setMuted('camera', true);
    }
    if (audio) {
      const producer = await transport.produce({
        track: audio,
        codecOptions: { opusDtx: true, opusFec: true },
        appData: { source: 'microphone' },
        stopTracks: false,
      });
      this.#producers.set('microphone', producer);
      if (this.#local.microphoneMuted || this.#local.mutedByChair) await this.setMuted('microphone', true);
    }
  }

  async #consume(peerId: string, producer: PeerProducerInfo): Promise<void> {
    const transport = this.#recvTransport;
    if (!transport) return;
    const response = await this.#channel.request('consumer:create', { producerId: producer.producerId });
    const consumer = await transport.consume({
      id: response.consumerId,
      producerId: response.producerId,
      kind: response.kind,
      rtpParameters: response.rtpParameters as types.RtpParameters,
      appData: { peerId, source: response.source },
    });
    this.#consumers.set(consumer.id, consumer);
    const site = this.#sites.get(peerId);
    if (site) {
      if (consumer.kind === 'video') this.#updateSite(peerId, { videoTrack: consumer.track, videoMuted: response.producerPaused });
      else this.#updateSite(peerId, { audioTrack: consumer.track, audioMuted: response.producerPaused });
    }
    await this.#channel.request('consumer:resume', { consumerId: consumer.id });
    await this.#applyLayers(consumer);
  }

  async #applyLayers(consumer: types.Consumer): Promise<void> {
    if (consumer.kind !== 'video' || consumer.closed) return;
    const focused = consumer.appData.peerId === this.#focusedPeerId;
    await this.#channel
      .request('consumer:setPreferredLayers', { consumerId: consumer.id, spatialLayer: focused ? FOCUSED_LAYER : THUMBNAIL_LAYER })
      .catch(() => undefined);
  }

  #listen(): void {
    const socket = this.#channel.socket;
    socket.on('peer:joined', (peer) => this.#addSite(peer));
    socket.on('peer:left', ({ peerId }) => {
      for (const consumer of this.#consumers.values()) if (consumer.appData.peerId === peerId) this.#closeConsumer(consumer.id);
      this.#sites.delete(peerId);
      if (this.#activeSpeaker === peerId) this.#setActiveSpeaker(null);
      this.#emitSites();
    });
    socket.on('producer:new', ({ peerId, ...producer }) => {
      this.#consume(peerId, producer).catch((error: unknown) => console.warn('consume failed', error));
    });
    socket.on('consumer:closed', ({ consumerId }) => this.#closeConsumer(consumerId));
    socket.on('producer:paused', ({ peerId, producerId }) => this.#markPaused(peerId, producerId, true));
    socket.on('producer:resumed', ({ peerId, producerId }) => this.#markPaused(peerId, producerId, false));
    socket.on('activeSpeaker:changed', ({ peerId }) => this.#setActiveSpeaker(peerId));
    socket.on('meeting:state', (state) => this.#applyMeetingState(state));
    socket.on('meeting:quality', ({ sites }) => this.emit('qualityChanged', sites));
    socket.on('meeting:closed', ({ reason }) => {
      this.#closedBy = reason;
    });
    socket.on('disconnect', () => {
      if (this.#closedBy) {
        this.#leaving = true;
        this.#stop(this.#closedBy);
        return;
      }
      if (this.#leaving || (this.#state !== 'joined' && this.#state !== 'waiting')) return;
      this.#teardownMedia();
      this.#setState('reconnecting');
    });
    socket.on('connect', () => {
      if (this.#state === 'reconnecting')
        this.#rejoin().catch((error: unknown) => this.#setState('failed', error instanceof Error ? error : new Error(String(error))));
    });
  }

  async #rejoin(attempt = 0): Promise<void> {
    const delay = this.#policy.nextRetryDelayMs(attempt);
    if (delay === null) {
      this.#setState('failed', new Error('could not rejoin the meeting'));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.#leaving || !this.#channel.socket.connected) return;
    try {
      await this.#joinOnce();
    } catch {
      this.#teardownMedia();
      await this.#rejoin(attempt + 1);
    }
  }

  #addSite(peer: PeerInfo): void {
    this.#sites.set(peer.peerId, {
      peerId: peer.peerId,
      bridgePointCode: peer.bridgePointCode,
      bridgePointName: peer.bridgePointName,
      videoMuted: false,
      audioMuted: false,
    });
    this.#emitSites();
  }

  #markPaused(peerId: string, producerId: string, paused: boolean): void {
    const consumer = [...this.#consumers.values()].find((c) => c.producerId === producerId);
    if (!consumer) return;
    this.#updateSite(peerId, consumer.kind === 'video' ? { videoMuted: paused } : { audioMuted: paused });
  }

  #closeConsumer(consumerId: string): void {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) return;
    consumer.close();
    this.#consumers.delete(consumerId);
    const peerId = consumer.appData.peerId as string;
    this.#updateSite(peerId, consumer.kind === 'video' ? { videoTrack: undefined } : { audioTrack: undefined });
  }

  #updateSite(peerId: string, patch: Partial<RemoteSite>): void {
    const site = this.#sites.get(peerId);
    if (!site) return;
    this.#sites.set(peerId, { ...site, ...patch });
    this.#emitSites();
  }

  #emitSites(): void {
    this.emit('sitesChanged', this.sites);
  }

  #setActiveSpeaker(peerId: string | null): void {
    this.#activeSpeaker = peerId;
    this.emit('activeSpeakerChanged', peerId);
  }

  #teardownMedia(): void {
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = undefined;
    this.#recvTransport = undefined;
    this.#producers.clear();
    this.#consumers.clear();
    this.#sites.clear();
    this.#emitSites();
  }

  #setState(state: ConnectionState, error?: Error): void {
    this.#state = state;
    this.emit('stateChanged', state, error);
  }
}
