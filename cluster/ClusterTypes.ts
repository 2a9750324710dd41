/** One hub node as the others see it, published in Redis while it runs. */
export interface NodeInfo {
  nodeId: string;
  /** Where the node itself answers (behind the balancer, for the balancer and the other nodes). */
  url: string;
  startedAt: string;
  /** Peers placed on each of its mediasoup workers. */
  workers: Array<{ index: number; load: number; live: boolean }>;
  /** When it last published. */
  at: string;
}

export interface NodeDirectoryOptions {
  nodeId: string;
  url: string;
  /** The node's workers now (read at each publication). */
  workers: () => NodeInfo['workers'];
  /** How often the node publishes itself, and how long an entry outlives a silent node. */
  publishEveryMs?: number;
  expireAfterMs?: number;
}

export type HubClusterEvents = {
  /** A node left the directory: it stopped, or died and its entry expired. */
  nodeGone: [nodeId: string, lastSeenAt: Date];
};
