/** cluster/: several hub nodes behind one address (Redis: socket.io's adapter and the nodes' directory). */
export { HubCluster, type HubClusterOptions } from './HubCluster.js';
export { NodeDirectory } from './NodeDirectory.js';
export type { HubClusterEvents, NodeDirectoryOptions, NodeInfo } from './ClusterTypes.js';
export { MeetingHomes } from './MeetingHomes.js';
export { NodeRpc } from './NodeRpc.js';
export { MediaLink } from './MediaLink.js';
export { ClusterError, NodeMessageRejectedError, NodeUnreachableError, RemoteCallError } from './errors.js';
export type { NodeRpcOptions } from './NodeRpc.js';
