import type { RedisClientType } from 'redis';
import { z, type ZodType } from 'zod';
import type { NodeDirectoryOptions, NodeInfo } from './ClusterTypes.js';
import { readRedisEntry } from './redisEntry.js';

const keyPrefix = 'hub:node:';

/** A node's entry as another node (perhaps of another version) wrote it. */
const nodeInfoSchema: ZodType<NodeInfo> = z.object({
  nodeId: z.string().min(1),
  url: z.url(),
  startedAt: z.string(),
  workers: z.array(z.object({ index: z.number().int().nonnegative(), load: z.number(), live: z.boolean() })),
  at: z.string(),
});

/**
 * The hub nodes sharing one address, as Redis knows them: each node publishes itself (its address and
 * its workers' load) every `publishEveryMs` under a key that expires after `expireAfterMs`, so a node
 * that died drops out of the directory by itself within that time, and a node stopping removes itself.
 */
export class NodeDirectory {
  readonly #redis: RedisClientType;
  readonly #options: Required<NodeDirectoryOptions>;
  readonly #startedAt = new Date().toISOString();
  #timer: NodeJS.Timeout | undefined;
  #publishing: Promise<void> = Promise.resolve();

  constructor(redis: RedisClientType, options: NodeDirectoryOptions) {
    this.#redis = redis;
    this.#options = { publishEveryMs: 2000, expireAfterMs: 6000, ...options };
  }

  get nodeId(): string {
    return this.#options.nodeId;
  }

  /** Publishes now, then every `publishEveryMs`; `onError` hears of a publication Redis refused (the next one tries again). */
  async start(onError: (error: unknown) => void): Promise<void> {
    await this.#publish();
    this.#timer = setInterval(() => {
      this.#publishing = this.#publish().catch(onError);
    }, this.#options.publishEveryMs);
    this.#timer.unref();
  }

  /** The nodes alive now, this one included, by id. */
  async nodes(): Promise<NodeInfo[]> {
    const keys: string[] = [];
    for await (const batch of this.#redis.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length === 0) return [];
    const values = await this.#redis.mGet(keys);
    return values
      .filter((value): value is string => typeof value === 'string')
      .map((value) => readRedisEntry(nodeInfoSchema, value))
      .filter((info): info is NodeInfo => info !== undefined)
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }

  /** The node stops: it leaves the directory at once rather than when its entry expires. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#publishing.catch(() => undefined);
    await this.#redis.del(`${keyPrefix}${this.#options.nodeId}`);
  }

  async #publish(): Promise<void> {
    const { nodeId, url, workers, expireAfterMs } = this.#options;
    const info: NodeInfo = { nodeId, url, startedAt: this.#startedAt, workers: workers(), at: new Date().toISOString() };
    await this.#redis.set(`${keyPrefix}${nodeId}`, JSON.stringify(info), { expiration: { type: 'PX', value: expireAfterMs } });
  }
}
