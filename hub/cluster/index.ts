/** cluster/: a meeting whose home is another node (its sites' events run there) and the cluster's REST. */
export { ClusterMeetings, isHomeEvent } from './ClusterMeetings.js';
export type { HomeEvent } from './ClusterMeetings.js';
export { clusterRoutes } from './clusterRoutes.js';
