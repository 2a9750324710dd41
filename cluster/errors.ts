/** Another node did not answer (it died, stopped, or Redis cannot reach it). */
export class NodeUnreachableError extends Error {
  readonly nodeId: string;

  constructor(nodeId: string, message: string) {
    super(`node ${nodeId}: ${message}`);
    this.name = 'NodeUnreachableError';
    this.nodeId = nodeId;
  }
}

/** Another node answered a call with an error (its message is the remote one). */
export class RemoteCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteCallError';
  }
}
