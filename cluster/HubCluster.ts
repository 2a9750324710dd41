import { EventEmitter } from 'node:events';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient, type RedisClientType } from 'redis';
import type { Server } from 'socket.io';
import type { HubClusterEvents, NodeDirectoryOptions, NodeInfo } from './ClusterTypes.js';
import { MediaLink } from './MediaLink.js';
import { MeetingHomes } from './MeetingHomes.js';
import { NodeDirectory } from './NodeDirectory.js';
import type { NodeMessageRejectedError } from './errors.js';
import { NodeRpc } from './NodeRpc.js';

export interface HubClusterOptions extends NodeDirectoryOptions {
  /** redis://:password@host:port (REDIS_URL). */
  redisUrl: string;
  /** Seals every message between the nodes (CLUSTER_SECRET, the same on each). */
  clusterSecret: string;
}

/**
 * A hub node among several behind one address: socket.io's rooms span the nodes through Redis (the
 * Redis adapter: an emit to a meeting's channel on one node reaches the sockets of that channel on every
 * node), the nodes' directory tells which nodes are alive and how loaded their workers are, each
 * meeting has a home node, and the nodes call each other (NodeRpc) to pipe media and forward events.
 * `nodeGone` is emitted when a node drops out of the directory (it stopped, or died and went silent).
 */
export class HubCluster extends EventEmitter<HubClusterEvents> {
  readonly directory: NodeDirectory;
  readonly homes: MeetingHomes;
  readonly rpc: NodeRpc;
  readonly mediaLink: MediaLink;
  readonly #clients: RedisClientType[];
  #known = new Set<string>();
  /** Each node's last publication, for when a gone node was last heard of. */
  readonly #lastSeen = new Map<string, Date>();
  #watch: NodeJS.Timeout | undefined;

  private constructor(directory: NodeDirectory, rpc: NodeRpc, command: RedisClientType, clients: RedisClientType[]) {
    super();
    this.directory = directory;
    this.rpc = rpc;
    this.homes = new MeetingHomes(command, directory, (nodeId) => nodeId === directory.nodeId || this.#known.has(nodeId));
    this.mediaLink = new MediaLink(rpc, command);
    this.#clients = clients;
  }

  /** `onRejected`: a message on this node's channel was dropped (forged, replayed, malformed: someone else publishes on Redis) or refused (a node of another version). */
  static async join(
    io: Server,
    options: HubClusterOptions,
    onError: (error: unknown) => void,
    onRejected: (error: NodeMessageRejectedError) => void,
  ): Promise<HubCluster> {
    const command = createClient({ url: options.redisUrl }) as RedisClientType;
    const clients: RedisClientType[] = [command];
    try {
      command.on('error', onError);
      await command.connect();
      const [publisher, subscriber, rpcSubscriber] = [command.duplicate(), command.duplicate(), command.duplicate()];
      clients.push(publisher, subscriber, rpcSubscriber);
      for (const client of [publisher, subscriber, rpcSubscriber]) {
        client.on('error', onError);
        await client.connect();
      }
      io.adapter(createAdapter(publisher, subscriber, { key: 'hub-socket.io' }));
      const directory = new NodeDirectory(command, options);
      await directory.start(onError);
      const rpc = await NodeRpc.listen(
        options.nodeId,
        { publisher: command, subscriber: rpcSubscriber },
        { clusterSecret: options.clusterSecret, onError, onRejected },
      );
      const cluster = new HubCluster(directory, rpc, command, clients);
      cluster.homes.start(onError);
      await cluster.#watchNodes(onError, options.publishEveryMs ?? 2000);
      return cluster;
    } catch (error) {
      for (const client of clients) client.destroy();
      throw error;
    }
  }

  get nodeId(): string {
    return this.directory.nodeId;
  }

  /** The nodes alive at the last look (every publication interval), this one included. */
  get aliveNodes(): ReadonlySet<string> {
    return this.#known;
  }

  nodes(): Promise<NodeInfo[]> {
    return this.directory.nodes();
  }

  /** Leaves the directory and closes the connections to Redis. */
  async leave(): Promise<void> {
    clearInterval(this.#watch);
    this.homes.stop();
    await this.rpc.close();
    await this.directory.stop().catch(() => undefined);
    for (const client of this.#clients) client.destroy();
  }

  async #watchNodes(onError: (error: unknown) => void, everyMs: number): Promise<void> {
    const look = async () => {
      const nodes = await this.directory.nodes();
      for (const node of nodes) this.#lastSeen.set(node.nodeId, new Date(node.at));
      const alive = new Set(nodes.map((n) => n.nodeId));
      const gone = [...this.#known].filter((nodeId) => !alive.has(nodeId));
      this.#known = alive;
      for (const nodeId of gone) this.emit('nodeGone', nodeId, this.#lastSeen.get(nodeId) ?? new Date());
    };
    await look();
    this.#watch = setInterval(() => {
      look().catch(onError);
    }, everyMs);
    this.#watch.unref();
  }
}
