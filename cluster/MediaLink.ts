import type { RedisClientType } from 'redis';
import type { NodeLink, ProducerLocation } from '../media-server/index.js';
import type { NodeRpc } from './NodeRpc.js';

const producersKey = (meetingId: string) => `hub:producers:${meetingId}`;
/** A meeting's producer map outlives any meeting (its keys are refreshed at each write). */
const producersTtlSeconds = 24 * 3600;

/**
 * The SFU's view of the other nodes (`NodeLink`): calls over `NodeRpc`, and each meeting's producers
 * by node in a Redis hash, so a node whose site asks for a producer knows whom to import it from.
 */
export class MediaLink implements NodeLink {
  readonly #rpc: NodeRpc;
  readonly #redis: RedisClientType;

  constructor(rpc: NodeRpc, redis: RedisClientType) {
    this.#rpc = rpc;
    this.#redis = redis;
  }

  get nodeId(): string {
    return this.#rpc.nodeId;
  }

  call<R>(nodeId: string, method: string, params: unknown): Promise<R> {
    return this.#rpc.call<R>(nodeId, method, params);
  }

  notify(nodeId: string, method: string, params: unknown): Promise<void> {
    return this.#rpc.notify(nodeId, method, params);
  }

  handle<P>(method: string, handler: (from: string, params: P) => unknown): void {
    this.#rpc.handle(method, handler);
  }

  async locate(meetingId: string, producerId: string): Promise<ProducerLocation | undefined> {
    const value = await this.#redis.hGet(producersKey(meetingId), producerId);
    return value ? (JSON.parse(value) as ProducerLocation) : undefined;
  }

  async announce(meetingId: string, producerId: string, location: ProducerLocation | null): Promise<void> {
    const key = producersKey(meetingId);
    if (!location) {
      await this.#redis.hDel(key, producerId);
      return;
    }
    await this.#redis.multi().hSet(key, producerId, JSON.stringify(location)).expire(key, producersTtlSeconds).exec();
  }

  /** A node died: its producers are no longer anywhere. */
  async forgetNode(meetingIds: string[], nodeId: string): Promise<void> {
    for (const meetingId of meetingIds) {
      const entries = await this.#redis.hGetAll(producersKey(meetingId));
      const gone = Object.entries(entries)
        .filter(([, value]) => (JSON.parse(value) as ProducerLocation).nodeId === nodeId)
        .map(([producerId]) => producerId);
      if (gone.length > 0) await this.#redis.hDel(producersKey(meetingId), gone);
    }
  }
}
