import { EventEmitter } from 'eventemitter3';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { MeetingState } from '../../../shared/meetings';
import type { ClientToServerEvents, MediaSource, PeerInfo, PeerProducerInfo } from '../../../shared/protocol';
import { createMeetingTransport } from './createMeetingTransport';
import type { ConnectionState, JoinOptions, LocalMediaState, MeetingClientEvents, RemoteSite, ShownVideos } from './MeetingClientTypes';
import { ReconnectPolicy } from './ReconnectPolicy';
import { SignallingChannel } from './SignallingChannel';
import { AudioSubscriptions } from './AudioSubscriptions';
import { VideoSubscriptions } from './VideoSubscriptions';
import { produceLocalTracks } from './produceLocalTracks';
import { ScreenShare } from './ScreenShare';
import { SiteQualityReports } from './SiteQualityReports';

/**
 * A bridge point's side of a meeting: signalling, the mediasoup-client Device, one send and one
 * receive transport, camera + microphone producers, the videos the page shows (`VideoSubscriptions`)
 * and the microphones of the unmuted sites (the SFU forwards the loudest of them).
 */
export class MeetingClient extends EventEmitter<MeetingClientEvents> {
  readonly #channel: SignallingChannel;
  readonly #policy: ReconnectPolicy;
  #options?: JoinOptions;
  #state: ConnectionState = 'idle';
  #device?: Device;
  /** The router capabilities #device was loaded with (JSON), to keep it across rejoins. */
  #deviceCapabilities?: string;
  #sendTransport?: types.Transport;
  #recvTransport?: types.Transport;
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #quality = new SiteQualityReports();
  readonly #audio: AudioSubscriptions;
  readonly #videos: VideoSubscriptions;
  readonly #screen: ScreenShare;
  readonly #sites = new Map<string, RemoteSite>();
  #local: LocalMediaState = { cameraMuted: false, microphoneMuted: false, mutedByChair: false };
  #meeting: MeetingState | null = null;
  #siteCode: string | null = null;
  #isChair = false;
  #closedBy: 'ended' | 'removed' | 'replaced' | 'signedOut' | null = null;
  #activeSpeaker: string | null = null;
  #leaving = false;
  #rejoining?: Promise<void>;
  /** Times the signalling connection dropped: a first join that fails after a drop is tried again, not given up. */
  #connectionDrops = 0;

  constructor(serverUrl?: string, policy = new ReconnectPolicy()) {
    super();
    this.#channel = new SignallingChannel(serverUrl);
    this.#policy = policy;
    this.#audio = new AudioSubscriptions({
      channel: this.#channel,
      transport: () => this.#recvTransport,
      onTrack: (peerId, audioTrack) => this.#updateSite(peerId, { audioTrack }),
    });
    this.#videos = new VideoSubscriptions({
      channel: this.#channel,
      transport: () => this.#recvTransport,
      onTrack: (peerId, source, track, paused) =>
        this.#updateSite(
          peerId,
          source === 'screen' ? { screenTrack: track } : { videoTrack: track, videoMuted: paused ?? this.#sites.get(peerId)?.videoMuted },
        ),
    });
    this.#screen = new ScreenShare({
      channel: this.#channel,
      transport: () => this.#sendTransport,
      onChange: (screen) => {
        this.#local = { ...this.#local, screen };
        this.emit('localMediaChanged', this.#local);
      },
    });
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
    const drops = this.#connectionDrops;
    try {
      // the camera opens while the page connects and joins: neither waits for the other
      const localMedia = this.#local.stream ? Promise.resolve() : this.#openLocalMedia();
      localMedia.catch(() => undefined);
      await this.#channel.connect();
      await this.#joinOnce(localMedia);
    } catch (error) {
      // The connection dropped while joining (a site's line blinked, a busy PC missed the heartbeat): the hub
      // let the half-made presence go, so this is no failure; join again once connected, as after any drop.
      if (this.#connectionDrops !== drops && !this.#leaving && !this.#closedBy) {
        this.#teardownMedia();
        this.#setState('reconnecting');
        if (this.#channel.socket.connected) this.#startRejoin();
        else this.#channel.socket.connect();
        return;
      }
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

  /** What the page shows: only these sites' videos are received. */
  async setShownVideos(shown: ShownVideos): Promise<void> {
    await this.#videos.show(shown);
  }

  async #openLocalMedia(): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true },
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25 } },
    });
    this.#local = { ...this.#local, stream };
    this.emit('localMediaChanged', this.#local);
  }

  /** Joins the meeting's media; `localMedia` resolves once the camera and microphone are open. */
  async #joinOnce(localMedia: Promise<void> = Promise.resolve()): Promise<void> {
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
    const device = await this.#loadedDevice(joined.routerRtpCapabilities as types.RtpCapabilities);
    const [, recv, send] = await Promise.all([
      this.#channel.request('meeting:setRtpCapabilities', { rtpCapabilities: device.recvRtpCapabilities }),
      createMeetingTransport(this.#channel, device, 'recv', () => this.#leaving),
      createMeetingTransport(this.#channel, device, 'send', () => this.#leaving),
    ]);
    this.#recvTransport = recv;
    this.#sendTransport = send;
    this.#setActiveSpeaker(joined.activeSpeakerPeerId);
    for (const peer of joined.peers) this.#addSite(peer);
    // In the meeting: the stage shows the sites and asks for their videos while the camera and microphone
    // start, so the two transports' ICE and DTLS run side by side and the first remote frame does not
    // wait for the page's own media.
    this.#setState('joined');
    await Promise.all([
      localMedia.then(() => this.#produceLocalTracks()),
      ...joined.peers.flatMap((peer) => peer.producers.map((p) => this.#remoteProducer(peer.peerId, p))),
    ]);
  }

  /**
   * A device for the router's capabilities: the one already loaded while they stay the same (a rejoin after a
   * worker's death), since loading one probes the browser's codecs with two peer connections of its own.
   */
  async #loadedDevice(routerRtpCapabilities: types.RtpCapabilities): Promise<Device> {
    const capabilities = JSON.stringify(routerRtpCapabilities);
    if (this.#device && this.#deviceCapabilities === capabilities) return this.#device;
    const device = new Device();
    await device.load({ routerRtpCapabilities });
    this.#device = device;
    this.#deviceCapabilities = capabilities;
    return device;
  }

  #applyMeetingState(state: MeetingState): void {
    const mine = state.sites.find((s) => s.code === this.#siteCode);
    this.#meeting = state;
    this.emit('meetingStateChanged', state);
    // the chair gave the floor to another site (the server closed this one's screen producer)
    if (this.#screen.sharing && state.presenterCode !== this.#siteCode) this.#screen.ended();
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

  async #produceLocalTracks(): Promise<void> {
    const produced = await produceLocalTracks(this.#sendTransport!, this.#device!, this.#local.stream!, {
      videoCodec: this.#options?.videoCodec ?? 'vp8',
      cameraMuted: this.#local.cameraMuted,
      microphoneMuted: this.#local.microphoneMuted || this.#local.mutedByChair,
    });
    for (const [source, producer] of produced) this.#producers.set(source, producer);
  }

  /** Presents a screen, window or tab; throws PRESENTATION_BUSY while another site presents. */
  present(): Promise<void> {
    return this.#screen.start();
  }

  stopPresenting(): Promise<void> {
    return this.#screen.stop();
  }

  /** A remote producer: its camera is received when shown, its microphone while unmuted. */
  async #remoteProducer(peerId: string, producer: PeerProducerInfo): Promise<void> {
    if (producer.source === 'screen') {
      await this.#videos.producerAdded(peerId, producer.producerId, 'screen');
    } else if (producer.kind === 'video') {
      this.#updateSite(peerId, { videoMuted: producer.paused });
      await this.#videos.producerAdded(peerId, producer.producerId);
    } else {
      this.#updateSite(peerId, { audioMuted: producer.paused });
      await this.#audio.microphone(peerId, producer.producerId, producer.paused);
    }
  }

  #listen(): void {
    const socket = this.#channel.socket;
    socket.on('peer:joined', (peer) => this.#addSite(peer));
    socket.on('peer:left', ({ peerId }) => {
      this.#audio.peerLeft(peerId);
      this.#videos.peerLeft(peerId);
      this.#sites.delete(peerId);
      if (this.#activeSpeaker === peerId) this.#setActiveSpeaker(null);
      this.#emitSites();
    });
    const warn = (what: string) => (error: unknown) => console.warn(what, error);
    socket.on('producer:new', ({ peerId, ...producer }) => {
      this.#remoteProducer(peerId, producer).catch(warn('consume failed'));
    });
    socket.on('consumer:closed', ({ consumerId }) => this.#consumerClosed(consumerId));
    socket.on('producer:closed', ({ producerId }) => this.#videos.producerClosed(producerId));
    // dynacast: encode only the layers someone receives
    socket.on('producer:maxSpatialLayer', ({ producerId, spatialLayer }) => {
      const camera = this.#producers.get('camera');
      if (camera?.id === producerId) camera.setMaxSpatialLayer(spatialLayer).catch(warn('switching camera layers failed'));
    });
    socket.on('producer:paused', ({ peerId, producerId }) => this.#producerPaused(peerId, producerId, true).catch(warn('mute failed')));
    socket.on('producer:resumed', ({ peerId, producerId }) => this.#producerPaused(peerId, producerId, false).catch(warn('unmute failed')));
    socket.on('activeSpeaker:changed', ({ peerId }) => this.#setActiveSpeaker(peerId));
    socket.on('meeting:state', (state) => this.#applyMeetingState(state));
    socket.on('meeting:quality', ({ sites }) => this.emit('qualityChanged', this.#quality.reported(sites)));
    socket.on('load:state', ({ steps }) => this.emit('shedStepsChanged', steps));
    // fresh TURN credentials for the transports' next ICE gathering (a restart after a failure)
    socket.on('ice:servers', ({ iceServers }) => {
      for (const transport of [this.#sendTransport, this.#recvTransport])
        if (transport && !transport.closed) transport.updateIceServers({ iceServers }).catch(warn('TURN credentials not renewed'));
    });
    socket.on('meeting:closed', ({ reason }) => {
      this.#closedBy = reason;
    });
    // the session ended (logout elsewhere, expiry, account disabled, password reset): the server disconnects next
    socket.on('auth:signedOut', () => {
      this.#closedBy = 'signedOut';
    });
    // a reconnect after the session ended is refused: stop instead of retrying for ever
    socket.on('connect_error', (error) => {
      if (error.message !== 'UNAUTHENTICATED' || this.#leaving || this.#state !== 'reconnecting') return;
      this.#leaving = true;
      this.#stop('signedOut');
    });
    // the SFU worker holding this site's media died: join again on the same connection
    socket.on('meeting:rejoin', () => {
      if (this.#leaving || this.#state !== 'joined') return;
      this.#teardownMedia();
      this.#setState('reconnecting');
      this.#startRejoin();
    });
    socket.on('disconnect', (reason) => {
      this.#connectionDrops++;
      if (this.#closedBy) {
        this.#leaving = true;
        this.#stop(this.#closedBy);
        return;
      }
      if (this.#leaving || (this.#state !== 'joined' && this.#state !== 'waiting' && this.#state !== 'reconnecting')) return;
      this.#teardownMedia();
      this.#setState('reconnecting');
      // socket.io-client comes back by itself after a lost connection, never after the server closed it (a hub
      // restarting, a replaced connection): connect again, spread over a second so a province does not return at once
      if (reason === 'io server disconnect') setTimeout(() => this.#channel.socket.connect(), Math.random() * 1000);
    });
    socket.on('connect', () => {
      if (this.#state === 'reconnecting') this.#startRejoin();
    });
  }

  /** One rejoin at a time: a worker's death and a reconnect can both ask for one, and two would evict each other. */
  #startRejoin(): void {
    if (this.#rejoining) return;
    this.#rejoining = this.#rejoin()
      .catch((error: unknown) => this.#setState('failed', error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.#rejoining = undefined;
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
      // admitted but failed half-way (a transport refused): the hub still holds the peer; let it go before trying again
      if (this.#channel.socket.connected) await this.#channel.request('meeting:leave', {}).catch(() => undefined);
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

  /** A site muted or unmuted its camera or microphone (or the chair did). */
  async #producerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    if (!this.#audio.isMicrophone(producerId)) {
      this.#updateSite(peerId, { videoMuted: paused });
      return;
    }
    this.#updateSite(peerId, { audioMuted: paused });
    await this.#audio.microphone(peerId, producerId, paused);
  }

  #consumerClosed(consumerId: string): void {
    this.#audio.consumerClosed(consumerId);
    this.#videos.consumerClosed(consumerId);
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
    this.#screen.ended();
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = undefined;
    this.#recvTransport = undefined;
    this.#producers.clear();
    this.#audio.reset();
    this.#videos.reset();
    this.#sites.clear();
    this.#emitSites();
  }

  #setState(state: ConnectionState, error?: Error): void {
    this.#state = state;
    this.emit('stateChanged', state, error);
  }
}
