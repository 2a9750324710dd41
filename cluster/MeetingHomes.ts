import type { RedisClientType } from 'redis';
import type { NodeDirectory } from './NodeDirectory.js';

const homeKey = (meetingId: string) => `hub:home:${meetingId}`;
const heldKey = (nodeId: string) => `hub:homes:${nodeId}`;
/** Extends the home's claim only while it is still this node's (another may have taken it over). */
const renewScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

const takeOverScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Which node is each meeting's home (it holds the meeting's control state and decides for it): the
 * least loaded node in the directory when the meeting is first asked about, claimed in Redis with
 * SET NX and kept by its node renewing the claim every `renewEveryMs`. A node that dies stops
 * renewing: after `expireAfterMs` the next node to ask claims the meeting for the least loaded node alive.
 */
export class MeetingHomes {
  readonly #redis: RedisClientType;
  readonly #directory: NodeDirectory;
  readonly #expireAfterMs: number;
  readonly #renewEveryMs: number;
  #timer: NodeJS.Timeout | undefined;

  readonly #alive: (nodeId: string) => boolean;

  constructor(
    redis: RedisClientType,
    directory: NodeDirectory,
    alive: (nodeId: string) => boolean,
    { expireAfterMs = 6000, renewEveryMs = 2000 } = {},
  ) {
    this.#redis = redis;
    this.#alive = alive;
    this.#directory = directory;
    this.#expireAfterMs = expireAfterMs;
    this.#renewEveryMs = renewEveryMs;
  }

  /** Renews this node's claims from now on; `onError` hears of a renewal Redis refused. */
  start(onError: (error: unknown) => void): void {
    this.#timer = setInterval(() => {
      this.#renew().catch(onError);
    }, this.#renewEveryMs);
    this.#timer.unref();
  }

  /** The meeting's home node, claimed now for the least loaded node alive (this one if no other is less loaded) if it has none. */
  async homeOf(meetingId: string): Promise<string> {
    const current = await this.#redis.get(homeKey(meetingId));
    if (current && this.#alive(current)) return current;
    // its home left the directory (it died) before its claim expired: the meeting moves now
    if (current) await this.#redis.eval(takeOverScript, { keys: [homeKey(meetingId)], arguments: [current] });
    const nodes = (await this.#directory.nodes()).filter((node) => this.#alive(node.nodeId));
    const load = (workers: Array<{ load: number; live: boolean }>) =>
      workers.filter((w) => w.live).reduce((sum, w) => sum + w.load, 0) / Math.max(1, workers.filter((w) => w.live).length);
    // as loaded as another, the node asking keeps it: its sites' events need no hop
    const self = this.#directory.nodeId;
    const rank = (nodeId: string) => (nodeId === self ? 0 : 1);
    const chosen =
      nodes.sort((a, b) => load(a.workers) - load(b.workers) || rank(a.nodeId) - rank(b.nodeId) || a.nodeId.localeCompare(b.nodeId))[0]
        ?.nodeId ?? self;
    const claimed = await this.#redis.set(homeKey(meetingId), chosen, {
      condition: 'NX',
      expiration: { type: 'PX', value: this.#expireAfterMs },
    });
    if (claimed === 'OK') {
      await this.#redis.sAdd(heldKey(chosen), meetingId);
      return chosen;
    }
    // another node claimed it meanwhile
    return (await this.#redis.get(homeKey(meetingId))) ?? chosen;
  }

  /** The meeting is over: nobody is its home any more. */
  async release(meetingId: string): Promise<void> {
    const home = await this.#redis.get(homeKey(meetingId));
    await this.#redis.del(homeKey(meetingId));
    if (home) await this.#redis.sRem(heldKey(home), meetingId);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #renew(): Promise<void> {
    const nodeId = this.#directory.nodeId;
    for (const meetingId of await this.#redis.sMembers(heldKey(nodeId))) {
      const renewed = await this.#redis.eval(renewScript, { keys: [homeKey(meetingId)], arguments: [nodeId, String(this.#expireAfterMs)] });
      if (renewed !== 1) await this.#redis.sRem(heldKey(nodeId), meetingId);
    }
  }
}
