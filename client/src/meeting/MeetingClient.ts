import { EventEmitter } from 'eventemitter3';
import type { types } from 'mediasoup-client';
import type { MeetingState } from '../../../shared/meetings.js';
import type { ClientToServerEvents, MediaSource, PeerInfo, PeerProducerInfo } from '../../../shared/protocol.js';
import type { ConnectionState, JoinOptions, LocalMediaState, MeetingClientEvents, RemoteSite, ShownVideos } from './MeetingClientTypes.js';
import { MeetingEngine } from './MeetingEngine.js';
import type { ReconnectPolicy } from './ReconnectPolicy.js';
import type { SignallingChannel } from './SignallingChannel.js';
import { AudioSubscriptions } from './AudioSubscriptions.js';
import { VideoSubscriptions } from './VideoSubscriptions.js';
import { openDevice, openLocalMedia, rememberChoice, rememberedChoice } from './LocalDevices.js';
import { produceLocalTracks } from './produceLocalTracks.js';
import { ScreenShare } from './ScreenShare.js';
import { SiteQualityReports } from './SiteQualityReports.js';
import { PageError } from '../api/PageError.js';

/** The states in which the hub closed the site's place: a late failure of the join does not hide why. */
const closedStates: ReadonlySet<ConnectionState> = new Set(['ended', 'removed', 'replaced', 'signedOut']);

/**
 * A bridge point's meeting as its page sees it, as LiveKit's Room: the sites and their tracks, the
 * meeting's state, the active speaker, this site's camera and microphone (its producers), the videos the
 * page shows (`VideoSubscriptions`) and the microphones of the unmuted sites (the SFU forwards the loudest
 * of them). The connection under it, its transports and its rejoins are the `MeetingEngine`'s.
 */
export class MeetingClient extends EventEmitter<MeetingClientEvents> {
  readonly #engine: MeetingEngine;
  readonly #channel: SignallingChannel;
  #options?: JoinOptions;
  #state: ConnectionState = 'idle';
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #quality = new SiteQualityReports();
  readonly #audio: AudioSubscriptions;
  readonly #videos: VideoSubscriptions;
  readonly #screen: ScreenShare;
  readonly #sites = new Map<string, RemoteSite>();
  /** The sites' screen producers (their presentations), by producer: whose it is. */
  readonly #screenProducers = new Map<string, string>();
  #local: LocalMediaState = { cameraMuted: false, microphoneMuted: false, mutedByChair: false, devices: rememberedChoice() };
  #meeting: MeetingState | null = null;
  #siteCode: string | null = null;
  #isChair = false;
  #activeSpeaker: string | null = null;
  /** The join from the lobby once the meeting started: one at a time, whatever meeting states come meanwhile. */
  #leavingLobby = false;

  constructor(serverUrl?: string, policy?: ReconnectPolicy) {
    super();
    this.#engine = new MeetingEngine({ serverUrl, policy, rejoin: () => this.#joinOnce() });
    this.#channel = this.#engine.signal;
    this.#audio = new AudioSubscriptions({
      channel: this.#channel,
      transport: () => this.#engine.recvTransport,
      onTrack: (peerId, audioTrack) => this.#updateSite(peerId, { audioTrack }),
    });
    this.#videos = new VideoSubscriptions({
      channel: this.#channel,
      transport: () => this.#engine.recvTransport,
      onTrack: (peerId, source, track, paused) =>
        this.#updateSite(
          peerId,
          source === 'screen' ? { screenTrack: track } : { videoTrack: track, videoMuted: paused ?? this.#sites.get(peerId)?.videoMuted },
        ),
    });
    this.#screen = new ScreenShare({
      channel: this.#channel,
      transport: () => this.#engine.sendTransport,
      device: () => this.#engine.device,
      onChange: (screen) => {
        this.#local = { ...this.#local, screen };
        this.emit('localMediaChanged', this.#local);
      },
    });
    this.#engine.on('mediaClosed', () => this.#mediaClosed());
    this.#engine.on('restarting', () => this.#setState('reconnecting'));
    this.#engine.on('closed', (reason) => this.#stop(reason));
    this.#engine.on('failed', (error) => this.#setState('failed', error));
    this.#listen();
  }

  /** The site's own camera, microphone and devices. */
  get local(): LocalMediaState {
    return this.#local;
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

  /** Sends a meeting command (chair controls, raised hand, request to speak, roll-call or vote answer); throws the server's refusal. */
  command<E extends 'hand:raise' | 'rollCall:confirm' | 'vote:answer' | 'speech:request' | `chair:${string}`>(
    event: E & keyof ClientToServerEvents,
    payload: Parameters<ClientToServerEvents[E & keyof ClientToServerEvents]>[0],
  ) {
    return this.#channel.request(event, payload);
  }

  async join(options: JoinOptions): Promise<void> {
    this.#options = options;
    this.#setState('connecting');
    // the camera opens while the page connects and joins: neither waits for the other
    const localMedia = this.#local.stream ? Promise.resolve() : this.#openLocalMedia(options);
    localMedia.catch(() => undefined);
    try {
      await this.#engine.start(() => this.#joinOnce(localMedia));
    } catch (error) {
      if (!closedStates.has(this.#state)) this.#setState('failed', error as Error);
      throw error;
    }
  }

  async leave(): Promise<void> {
    await this.#engine.leave();
    this.#stop('left');
  }

  #stop(state: ConnectionState): void {
    this.#engine.closeMedia();
    for (const track of this.#local.stream?.getTracks() ?? []) track.stop();
    this.#local = { cameraMuted: false, microphoneMuted: false, mutedByChair: false, devices: this.#local.devices };
    this.emit('localMediaChanged', this.#local);
    this.#setState(state);
  }

  close(): void {
    this.#engine.close();
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

  async #openLocalMedia(options: JoinOptions): Promise<void> {
    const devices = options.devices ?? this.#local.devices;
    const { stream, cameraTrouble } = options.media ?? (await openLocalMedia(devices));
    this.#local = { ...this.#local, stream, cameraTrouble, devices };
    this.emit('localMediaChanged', this.#local);
  }

  /**
   * Another camera or microphone during the meeting: its track replaces the one the others receive (no new
   * producer, no renegotiation); a camera the site joined without is produced now. The choice is remembered.
   */
  async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const track = await openDevice(kind, deviceId);
    const stream = this.#local.stream ?? new MediaStream();
    const old = kind === 'camera' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
    const producer = this.#producers.get(kind);
    if (producer) await producer.replaceTrack({ track });
    if (old) {
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(track);
    const devices = { ...this.#local.devices, [kind === 'camera' ? 'cameraId' : 'microphoneId']: deviceId };
    rememberChoice(devices);
    this.#local = { ...this.#local, stream, devices, ...(kind === 'camera' ? { cameraTrouble: undefined } : {}) };
    if (!producer && this.#engine.sendTransport) {
      await this.#produceLocalTracks(new MediaStream([track]));
    }
    this.emit('localMediaChanged', this.#local);
  }

  /** The speaker the others are heard on (the pages' audio elements follow `local.devices.speakerId`). */
  setSpeaker(deviceId: string): void {
    const devices = { ...this.#local.devices, speakerId: deviceId };
    rememberChoice(devices);
    this.#local = { ...this.#local, devices };
    this.emit('localMediaChanged', this.#local);
  }

  /** Joins the meeting's media; `localMedia` resolves once the camera and microphone are open. */
  async #joinOnce(localMedia: Promise<void> = Promise.resolve()): Promise<void> {
    const options = this.#options;
    if (!options) throw new PageError('client.notInMeeting');
    const joined = await this.#engine.joinMeeting(options.meetingId);
    this.#siteCode = joined.siteCode;
    this.#isChair = joined.isChair;
    this.#applyMeetingState(joined.meeting);
    if (!joined.admitted) {
      this.#setState('waiting');
      return;
    }
    await this.#engine.openMedia(joined.routerRtpCapabilities as types.RtpCapabilities);
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
    if (this.#state === 'waiting' && state.status === 'LIVE' && !this.#leavingLobby) {
      // the join's own answer, and every change meanwhile (a room system being called, a site arriving), says LIVE
      // again while the page still waits: a second join would race the first
      this.#leavingLobby = true;
      this.#joinOnce()
        .catch((error: Error) => this.#setState('failed', error))
        .finally(() => (this.#leavingLobby = false));
    }
  }

  /** The site's own tracks (all of them, or one opened later) as producers, muted as the site and the chair say. */
  async #produceLocalTracks(stream: MediaStream = this.#local.stream!): Promise<void> {
    const produced = await produceLocalTracks(this.#engine.sendTransport!, this.#engine.device!, stream, {
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
      this.#screenProducers.set(producer.producerId, peerId);
      this.#updateSite(peerId, { hasScreen: true });
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
      for (const [producerId, owner] of this.#screenProducers) if (owner === peerId) this.#screenProducers.delete(producerId);
      if (this.#activeSpeaker === peerId) this.#setActiveSpeaker(null);
      this.#emitSites();
    });
    const warn = (what: string) => (error: unknown) => console.warn(what, error);
    socket.on('producer:new', ({ peerId, ...producer }) => {
      this.#remoteProducer(peerId, producer).catch(warn('consume failed'));
    });
    socket.on('consumer:closed', ({ consumerId }) => this.#consumerClosed(consumerId));
    socket.on('producer:closed', ({ producerId }) => {
      const screenOf = this.#screenProducers.get(producerId);
      if (screenOf !== undefined) {
        this.#screenProducers.delete(producerId);
        this.#updateSite(screenOf, { hasScreen: false });
      }
      this.#videos.producerClosed(producerId);
    });
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
    socket.on('vote:tally', (tally) => this.emit('voteTallyChanged', tally));
    socket.on('speech:declined', () => this.emit('speechDeclined'));
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

  /** The engine closed the transports: what came over them is gone (a rejoin starts over). */
  #mediaClosed(): void {
    this.#screen.ended();
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
