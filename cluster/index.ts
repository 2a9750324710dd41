/** cluster/: several hub nodes behind one address (Redis: socket.io's adapter and the nodes' directory). */
export { HubCluster, type HubClusterOptions } from './HubCluster.js';
export { NodeDirectory } from './NodeDirectory.js';
export type { NodeDirectoryOptions, NodeInfo } from './ClusterTypes.js';
