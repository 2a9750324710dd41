import { EventEmitter } from 'eventemitter3';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import { createMeetingTransport } from './createMeetingTransport.js';
import type { ClosedReason, EnginePhase, MeetingEngineEvents } from './MeetingEngineTypes.js';
import { ReconnectPolicy } from './ReconnectPolicy.js';
import { SignallingChannel } from './SignallingChannel.js';
import { PageError } from '../api/PageError.js';

export interface MeetingEngineOptions {
  serverUrl?: string;
  policy?: ReconnectPolicy;
  /** Joins the meeting again after the media was lost; throws when this attempt failed. */
  rejoin: () => Promise<void>;
}

/**
 * The connection under a site's meeting, as LiveKit's RTCEngine is under its Room: the signalling channel,
 * the mediasoup-client Device, the send and receive transports, and what happens when any of them is lost.
 * A dropped connection or a dead SFU worker closes the media and rejoins by the reconnect policy, one rejoin
 * at a time; the hub closing the site's place stops it. What a join means (the sites, the tracks) is the
 * room's, handed in as `rejoin`.
 */
export class MeetingEngine extends EventEmitter<MeetingEngineEvents> {
  readonly signal: SignallingChannel;
  readonly #policy: ReconnectPolicy;
  readonly #rejoinMeeting: () => Promise<void>;
  #phase: EnginePhase = 'idle';
  #device?: Device;
  /** The router capabilities #device was loaded with (JSON), to keep it across rejoins. */
  #deviceCapabilities?: string;
  #sendTransport?: types.Transport;
  #recvTransport?: types.Transport;
  #closedBy: ClosedReason | null = null;
  #rejoining?: Promise<void>;
  /** Times the signalling connection dropped: a first join that fails after a drop is tried again, not given up. */
  #connectionDrops = 0;

  constructor(options: MeetingEngineOptions) {
    super();
    this.signal = new SignallingChannel(options.serverUrl);
    this.#policy = options.policy ?? new ReconnectPolicy();
    this.#rejoinMeeting = options.rejoin;
    this.#listen();
  }

  get phase(): EnginePhase {
    return this.#phase;
  }

  get device(): Device | undefined {
    return this.#device;
  }

  get sendTransport(): types.Transport | undefined {
    return this.#sendTransport;
  }

  get recvTransport(): types.Transport | undefined {
    return this.#recvTransport;
  }

  /**
   * Connects and runs the room's first join. A drop while joining (a site's line blinked, a busy PC missed the
   * heartbeat) is no failure: the hub let the half-made presence go, and the engine rejoins once connected.
   */
  async start(join: () => Promise<void>): Promise<void> {
    this.#closedBy = null;
    this.#enter('connecting');
    const drops = this.#connectionDrops;
    try {
      await this.signal.connect();
      await join();
      if (this.#phase === 'connecting') this.#enter('connected');
    } catch (error) {
      // a drop or a worker's death after the hub answered: its handler already restarts
      if (this.#phase === 'restarting') return;
      if (this.#phase === 'connecting' && !this.#closedBy && this.#connectionDrops !== drops) {
        this.#restart();
        if (this.signal.socket.connected) this.#startRejoin();
        else this.signal.socket.connect();
        return;
      }
      this.#enter('stopped');
      throw error;
    }
  }

  /** Asks the hub for a place in the meeting: in the lobby, or admitted with the router's capabilities. */
  async joinMeeting(meetingId: string) {
    const joined = await this.signal.request('meeting:join', { meetingId });
    if (this.#phase === 'connecting') this.#enter('connected');
    return joined;
  }

  /** The Device for the router, the site's receive capabilities told to the hub, and both transports. */
  async openMedia(routerRtpCapabilities: types.RtpCapabilities): Promise<void> {
    const device = await this.#loadedDevice(routerRtpCapabilities);
    const stopped = () => this.#phase === 'stopped';
    const [, recv, send] = await Promise.all([
      this.signal.request('meeting:setRtpCapabilities', { rtpCapabilities: device.recvRtpCapabilities }),
      createMeetingTransport(this.signal, device, 'recv', stopped),
      createMeetingTransport(this.signal, device, 'send', stopped),
    ]);
    this.#recvTransport = recv;
    this.#sendTransport = send;
  }

  /** Leaves the meeting on the hub (when still connected) and stops; the room closes the media after. */
  async leave(): Promise<void> {
    this.#enter('stopped');
    await this.#leaveOnHub();
  }

  closeMedia(): void {
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = undefined;
    this.#recvTransport = undefined;
    this.emit('mediaClosed');
  }

  close(): void {
    this.signal.close();
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

  #listen(): void {
    const socket = this.signal.socket;
    const warn = (what: string) => (error: unknown) => console.warn(what, error);
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
      if (error.message !== 'UNAUTHENTICATED' || this.#phase !== 'restarting') return;
      this.#closeBy('signedOut');
    });
    // the SFU worker holding this site's media died: join again on the same connection
    socket.on('meeting:rejoin', () => {
      if (this.#phase !== 'connected' || !this.#recvTransport) return;
      this.#restart();
      this.#startRejoin();
    });
    socket.on('disconnect', (reason) => {
      this.#connectionDrops++;
      if (this.#closedBy) {
        this.#closeBy(this.#closedBy);
        return;
      }
      if (this.#phase !== 'connected' && this.#phase !== 'restarting') return;
      this.#restart();
      // socket.io-client comes back by itself after a lost connection, never after the server closed it (a hub
      // restarting, a replaced connection): connect again, spread over a second so a province does not return at once
      if (reason === 'io server disconnect') setTimeout(() => this.signal.socket.connect(), Math.random() * 1000);
    });
    socket.on('connect', () => {
      if (this.#phase === 'restarting') this.#startRejoin();
    });
  }

  #closeBy(reason: ClosedReason): void {
    if (this.#phase === 'stopped') return;
    this.#enter('stopped');
    this.closeMedia();
    this.emit('closed', reason);
  }

  #restart(): void {
    this.closeMedia();
    if (this.#phase === 'restarting') return;
    this.#enter('restarting');
    this.emit('restarting');
  }

  /** One rejoin at a time: a worker's death and a reconnect can both ask for one, and two would evict each other. */
  #startRejoin(): void {
    if (this.#rejoining) return;
    this.#rejoining = this.#rejoin()
      .catch((error: unknown) => this.#giveUp(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.#rejoining = undefined;
      });
  }

  async #rejoin(attempt = 0): Promise<void> {
    const delay = this.#policy.nextRetryDelayMs(attempt);
    if (delay === null) {
      this.#giveUp(new PageError('client.rejoinFailed'));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.#phase !== 'restarting' || !this.signal.socket.connected) return;
    try {
      await this.#rejoinMeeting();
      if (this.#phase === 'restarting') this.#enter('connected');
    } catch {
      this.closeMedia();
      // admitted but failed half-way (a transport refused): the hub still holds the peer; let it go before trying again
      await this.#leaveOnHub();
      await this.#rejoin(attempt + 1);
    }
  }

  /** Tells the hub the site leaves, while there is a connection to tell it on; its refusal changes nothing here. */
  async #leaveOnHub(): Promise<void> {
    if (this.signal.socket.connected) await this.signal.request('meeting:leave', {}).catch(() => undefined);
  }

  /** Through a method, so the compiler does not carry a phase across the awaits that change it. */
  #enter(phase: EnginePhase): void {
    this.#phase = phase;
  }

  #giveUp(error: Error): void {
    this.#enter('stopped');
    this.emit('failed', error);
  }
}
