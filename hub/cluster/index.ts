/** cluster/: a meeting whose home is another node (its sites' events run there) and the cluster's REST. */
export { ClusterMeetings, homeEvents } from './ClusterMeetings.js';
export { clusterRoutes } from './clusterRoutes.js';
