/** sip/: the hub's SIP side, knowing nothing of meetings: its endpoint, the calls it places and takes, their session descriptions, their content floor (BFCP). */
export { SipEndpoint } from './SipEndpoint.js';
export type { SipLog } from './SipEndpoint.js';
export type { SipCall } from './SipCall.js';
export type { SipIncomingCall } from './SipIncomingCall.js';
export type { Registrar } from './Registrar.js';
export { RtpRelay, isNewEvent, keyOf } from './RtpRelay.js';
export {
  sessionOffer,
  answeredMedia,
  answeredFloorControl,
  offeredMedia,
  sessionAnswer,
  takenMedia,
  takenFloorControl,
} from './sessionDescription.js';
export { SessionDescriptionError } from './errors.js';
export type * from './SipTypes.js';
export { BfcpServer } from './bfcp/index.js';
export type { BfcpSession, BfcpFloorHandler } from './bfcp/index.js';
