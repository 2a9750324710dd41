import { HubError } from '../errors/index.js';
/** What goes wrong between hub nodes. */
export class ClusterError extends HubError {
  constructor(message: string) {
    super('INTERNAL', message);
  }
}

/** Another node did not answer (it died, stopped, or Redis cannot reach it). */
export class NodeUnreachableError extends ClusterError {
  readonly nodeId: string;

  constructor(nodeId: string, message: string) {
    super(`node ${nodeId}: ${message}`);
    this.nodeId = nodeId;
  }
}

/** Another node answered a call with an error (its message is the remote one). */
export class RemoteCallError extends ClusterError {}

/**
 * A message on this node's channel was dropped: not sealed with the cluster secret, malformed, replayed, or
 * meant for another node. `claimedFrom`: the sender it names, once it opened (a sealed message's is true).
 */
export class NodeMessageRejectedError extends ClusterError {
  readonly claimedFrom?: string;

  constructor(reason: string, claimedFrom?: string) {
    super(`node message dropped: ${reason}`);
    this.claimedFrom = claimedFrom;
  }
}
