/** errors/: the one base of the hub's named errors, and the table from their kind to an HTTP status and a socket ack code. */
export { HubError, answerOf, errorKinds } from './HubError.js';
export type { AnsweredMessage, ErrorKind, HubErrorOptions } from './HubError.js';
