import type { types } from 'mediasoup-client';
import { consumeProducer } from './consumeProducer.js';
import type { VideoTile } from '../../../shared/protocol.js';
import type { SignallingChannel } from './SignallingChannel.js';
import type { MediaSource, ShownVideos } from './MeetingClientTypes.js';

type VideoSource = Exclude<MediaSource, 'microphone'>;
/** A site's camera and its presentation are two subscriptions. */
const keyOf = (peerId: string, source: VideoSource) => (source === 'screen' ? `${peerId}#screen` : peerId);

/** Where a video is shown: its layer and tile. */
interface Shown {
  layer: number;
  tile: VideoTile;
}

/** Paused consumers kept for sites recently shown, so showing them again is instant (a resume, no new consumer). */
const keptPaused = 8;

interface Subscription {
  peerId: string;
  source: VideoSource;
  producerId: string;
  consumer?: types.Consumer;
  /** The layer it is shown at (the large tile's or a thumbnail's); null: not shown. */
  layer: number | null;
  /** The tile it is shown in (the hub lowers thumbnails first when short); null: not shown. */
  tile: VideoTile | null;
  lastShown: number;
}

export interface VideoSubscriptionsDeps {
  channel: SignallingChannel;
  transport: () => types.Transport | undefined;
  /** A site's camera (or presentation) track to show, or undefined when it has none. */
  onTrack: (peerId: string, source: VideoSource, track: MediaStreamTrack | undefined, producerPaused?: boolean) => void;
}

/**
 * The videos a page receives: only those it shows. The large tile's site is consumed at the layer that
 * fits the tile, the visible thumbnails at the lowest layer, every other site not at all. A site that
 * leaves the screen has its consumer paused in the SFU (kept for a few such sites, so it comes back with
 * a resume); beyond those the oldest is closed. Changes are applied one at a time, in order.
 */
export class VideoSubscriptions {
  readonly #deps: VideoSubscriptionsDeps;
  /** By `keyOf(peerId, source)`. */
  readonly #byPeer = new Map<string, Subscription>();
  #shown: ShownVideos = { large: null, small: [], largeLayer: 2, content: null };
  #running = false;
  #again = false;

  constructor(deps: VideoSubscriptionsDeps) {
    this.#deps = deps;
  }

  /** What the page shows now. */
  show(shown: ShownVideos): Promise<void> {
    this.#shown = shown;
    return this.#reconcile();
  }

  /** A site's camera or presentation producer (a new one replaces the one before). */
  producerAdded(peerId: string, producerId: string, source: VideoSource = 'camera'): Promise<void> {
    const key = keyOf(peerId, source);
    const previous = this.#byPeer.get(key);
    // the same camera announced twice (listed at join and pushed as new while joining): one subscription
    if (previous?.producerId === producerId) return Promise.resolve();
    // a new camera: the SFU closed the old one's consumer with its producer
    if (previous?.consumer && !previous.consumer.closed) previous.consumer.close();
    this.#byPeer.set(key, { peerId, source, producerId, layer: null, tile: null, lastShown: 0 });
    return this.#reconcile();
  }

  /** A producer went away (a presentation ended): its subscription goes, consumed or not. */
  producerClosed(producerId: string): void {
    this.#drop((sub) => sub.producerId === producerId);
  }

  /** The SFU closed this consumer (its producer went away). */
  consumerClosed(consumerId: string): void {
    this.#drop((sub) => sub.consumer?.id === consumerId);
  }

  /** The subscriptions that match go: their consumers closed, their tracks off the page. */
  #drop(matches: (sub: Subscription) => boolean): void {
    for (const [key, sub] of this.#byPeer)
      if (matches(sub)) {
        if (sub.consumer && !sub.consumer.closed) sub.consumer.close();
        this.#byPeer.delete(key);
        this.#deps.onTrack(sub.peerId, sub.source, undefined);
      }
  }

  peerLeft(peerId: string): void {
    for (const key of [keyOf(peerId, 'camera'), keyOf(peerId, 'screen')]) {
      const sub = this.#byPeer.get(key);
      if (sub?.consumer && !sub.consumer.closed) sub.consumer.close();
      this.#byPeer.delete(key);
    }
  }

  /** The transports are gone (a rejoin starts over). */
  reset(): void {
    this.#byPeer.clear();
  }

  async #reconcile(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        await this.#applyOnce();
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }

  async #applyOnce(): Promise<void> {
    const wanted = new Map<string, Shown>(this.#shown.small.map((peerId) => [peerId, { layer: 0, tile: 'thumbnail' }]));
    if (this.#shown.large) wanted.set(this.#shown.large, { layer: this.#shown.largeLayer, tile: 'large' });
    // a presentation has one layer, at the resolution it was shared
    if (this.#shown.content) wanted.set(keyOf(this.#shown.content, 'screen'), { layer: 0, tile: 'large' });
    // first stop what is no longer shown, so the SFU's per-viewer limit is never crossed on the way
    for (const [key, sub] of this.#byPeer)
      if (sub.layer !== null && !wanted.has(key)) {
        sub.layer = null;
        sub.tile = null;
        if (sub.consumer && !sub.consumer.closed) await this.#deps.channel.request('consumer:pause', { consumerId: sub.consumer.id });
      }
    // the tiles to show are independent of each other: their round trips run side by side
    await Promise.all([...wanted].map(([key, shown]) => this.#showAt(key, shown)));
    await this.#evict();
  }

  async #showAt(key: string, { layer, tile }: Shown): Promise<void> {
    const sub = this.#byPeer.get(key);
    if (!sub || (sub.layer === layer && sub.tile === tile)) return;
    const wasShown = sub.layer !== null;
    sub.lastShown = Date.now();
    const fresh = !sub.consumer || sub.consumer.closed;
    // a new consumer is made at its layer; a kept one gets the layer first, then the resume: the SFU
    // (and dynacast) never see a thumbnail ask for the top layer
    if (fresh && !(await this.#consume(sub, layer, tile))) return;
    const consumerId = sub.consumer!.id;
    if (!fresh && sub.source === 'camera')
      await this.#deps.channel.request('consumer:setPreferredLayers', { consumerId, spatialLayer: layer, tile });
    if (!wasShown) await this.#deps.channel.request('consumer:resume', { consumerId });
    sub.layer = layer;
    sub.tile = tile;
  }

  /** A consumer for the subscription, created paused at `layer` (it is resumed next). */
  async #consume(sub: Subscription, layer: number, tile: VideoTile): Promise<types.Consumer | undefined> {
    const transport = this.#deps.transport();
    if (!transport) return undefined;
    const spatialLayer = sub.source === 'camera' ? layer : undefined;
    const { consumer, response } = await consumeProducer(this.#deps.channel, transport, sub.peerId, sub.producerId, spatialLayer, tile);
    // the site may have left, or sent a new camera, while the SFU answered
    if (this.#byPeer.get(keyOf(sub.peerId, sub.source)) !== sub) {
      consumer.close();
      await this.#deps.channel.request('consumer:close', { consumerId: consumer.id }).catch(() => undefined);
      return undefined;
    }
    sub.consumer = consumer;
    this.#deps.onTrack(sub.peerId, sub.source, consumer.track, response.producerPaused);
    return consumer;
  }

  /** Closes the paused consumers of the sites shown longest ago, beyond the few kept. */
  async #evict(): Promise<void> {
    const paused = [...this.#byPeer.values()]
      .filter((sub) => sub.layer === null && sub.consumer && !sub.consumer.closed)
      .sort((a, b) => b.lastShown - a.lastShown);
    for (const sub of paused.slice(keptPaused)) {
      const consumer = sub.consumer!;
      sub.consumer = undefined;
      consumer.close();
      this.#deps.onTrack(sub.peerId, sub.source, undefined);
      await this.#deps.channel.request('consumer:close', { consumerId: consumer.id });
    }
  }
}
