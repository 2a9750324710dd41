import { createAdapter } from '@socket.io/redis-adapter';
import { createClient, type RedisClientType } from 'redis';
import type { Server } from 'socket.io';
import type { NodeDirectoryOptions, NodeInfo } from './ClusterTypes.js';
import { NodeDirectory } from './NodeDirectory.js';

export interface HubClusterOptions extends NodeDirectoryOptions {
  /** redis://host:port (REDIS_URL). */
  redisUrl: string;
}

/**
 * A hub node among several behind one address: socket.io's rooms span the nodes through Redis (the
 * Redis adapter: an emit to a meeting's channel on one node reaches the sockets of that channel on every
 * node), and the nodes' directory tells which nodes are alive and how loaded their workers are.
 */
export class HubCluster {
  readonly directory: NodeDirectory;
  readonly #clients: RedisClientType[];

  private constructor(directory: NodeDirectory, clients: RedisClientType[]) {
    this.directory = directory;
    this.#clients = clients;
  }

  static async join(io: Server, options: HubClusterOptions, onError: (error: unknown) => void): Promise<HubCluster> {
    const command = createClient({ url: options.redisUrl }) as RedisClientType;
    const clients: RedisClientType[] = [command];
    try {
      command.on('error', onError);
      await command.connect();
      const publisher = command.duplicate();
      const subscriber = command.duplicate();
      clients.push(publisher, subscriber);
      for (const client of [publisher, subscriber]) {
        client.on('error', onError);
        await client.connect();
      }
      io.adapter(createAdapter(publisher, subscriber, { key: 'hub-socket.io' }));
      const directory = new NodeDirectory(command, options);
      await directory.start(onError);
      return new HubCluster(directory, clients);
    } catch (error) {
      for (const client of clients) client.destroy();
      throw error;
    }
  }

  nodes(): Promise<NodeInfo[]> {
    return this.directory.nodes();
  }

  /** Leaves the directory and closes the connections to Redis. */
  async leave(): Promise<void> {
    await this.directory.stop().catch(() => undefined);
    for (const client of this.#clients) client.destroy();
  }
}
