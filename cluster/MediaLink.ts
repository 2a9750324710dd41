import type { RedisClientType } from 'redis';
import { z, type ZodType } from 'zod';
import {
  peerIdentitySchema,
  producerLocationSchema,
  type NodeLink,
  type PeerIdentity,
  type ProducerLocation,
} from '../media-server/index.js';
import type { NodeCall, NodeNotice } from '../shared/nodeMethods.js';
import type { NodeRpc } from './NodeRpc.js';
import { readRedisEntry } from './redisEntry.js';

const producersKey = (meetingId: string) => `hub:producers:${meetingId}`;
const peersKey = (meetingId: string) => `hub:peers:${meetingId}`;
/** A meeting's maps outlive any meeting (their keys are refreshed at each write). */
const mapTtlSeconds = 24 * 3600;

/** A site in a meeting's room on some node. */
export interface PeerLocation {
  nodeId: string;
  peer: PeerIdentity;
}

const peerLocationSchema: ZodType<PeerLocation> = z.object({ nodeId: z.string().min(1), peer: peerIdentitySchema });

/**
 * The SFU's view of the other nodes (`NodeLink`): calls over `NodeRpc`, and each meeting's sites and
 * producers by node in Redis hashes, so a node whose site joins lists the sites on the others, and one
 * whose site asks for a producer knows whom to import it from.
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

  call<P, R>(nodeId: string, method: NodeCall<P, R>, params: P): Promise<R> {
    return this.#rpc.call(nodeId, method, params);
  }

  notify<P>(nodeId: string, method: NodeNotice<P>, params: P): Promise<void> {
    return this.#rpc.notify(nodeId, method, params);
  }

  handle<P, R>(method: NodeCall<P, R>, handler: (from: string, params: P) => R | Promise<R>): void;
  handle<P>(method: NodeNotice<P>, handler: (from: string, params: P) => unknown): void;
  handle<P>(method: NodeCall<P, unknown> | NodeNotice<P>, handler: (from: string, params: P) => unknown): void {
    if (method.kind === 'call') this.#rpc.handle(method, handler);
    else this.#rpc.handle(method, handler);
  }

  async locate(meetingId: string, producerId: string): Promise<ProducerLocation | undefined> {
    const value = await this.#redis.hGet(producersKey(meetingId), producerId);
    return value ? readRedisEntry(producerLocationSchema, value) : undefined;
  }

  async announce(meetingId: string, producerId: string, location: ProducerLocation | null): Promise<void> {
    await this.#write(producersKey(meetingId), producerId, location);
  }

  async announcePeer(meetingId: string, peer: PeerIdentity, present: boolean): Promise<void> {
    await this.#write(peersKey(meetingId), peer.peerId, present ? { nodeId: this.nodeId, peer } : null);
  }

  /** The meeting's sites on every node, and their producers. */
  async sites(meetingId: string): Promise<{ peers: PeerLocation[]; producers: Array<[string, ProducerLocation]> }> {
    const [peers, producers] = await Promise.all([this.#redis.hGetAll(peersKey(meetingId)), this.#redis.hGetAll(producersKey(meetingId))]);
    return {
      peers: Object.values(peers).flatMap((value) => readRedisEntry(peerLocationSchema, value) ?? []),
      producers: Object.entries(producers).flatMap(([producerId, value]): Array<[string, ProducerLocation]> => {
        const location = readRedisEntry(producerLocationSchema, value);
        return location ? [[producerId, location]] : [];
      }),
    };
  }

  /** A node died: its sites and producers in the meeting are no longer anywhere. Answers the sites' peer ids. */
  async forgetNode(meetingId: string, nodeId: string): Promise<string[]> {
    const { peers, producers } = await this.sites(meetingId);
    const gonePeers = peers.filter((p) => p.nodeId === nodeId).map((p) => p.peer.peerId);
    const goneProducers = producers.filter(([, location]) => location.nodeId === nodeId).map(([producerId]) => producerId);
    if (gonePeers.length > 0) await this.#redis.hDel(peersKey(meetingId), gonePeers);
    if (goneProducers.length > 0) await this.#redis.hDel(producersKey(meetingId), goneProducers);
    return gonePeers;
  }

  async #write(key: string, field: string, value: object | null): Promise<void> {
    if (value === null) await this.#redis.hDel(key, field);
    else await this.#redis.multi().hSet(key, field, JSON.stringify(value)).expire(key, mapTtlSeconds).exec();
  }
}
