/** errors/: the one base of the hub's named errors, and the table from their kind to an HTTP status and a socket ack code. */
export { HubError, errorKinds } from './HubError.js';
export type { ErrorKind } from './HubError.js';
