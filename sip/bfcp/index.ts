/** sip/bfcp/: the content floor of SIP calls (BFCP, RFC 8855 over TCP): the messages, the server, a call's session. */
export { BfcpServer } from './BfcpServer.js';
export { BfcpSession, contentFloorId } from './BfcpSession.js';
export { encodeBfcpMessage, parseBfcpMessage } from './bfcpMessage.js';
export * from './BfcpTypes.js';
