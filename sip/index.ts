/** sip/: the hub's SIP side, knowing nothing of meetings: its endpoint, the calls it places, their session descriptions. */
export { SipEndpoint } from './SipEndpoint.js';
export type { SipLog } from './SipEndpoint.js';
export type { SipCall } from './SipCall.js';
export { sessionOffer, answeredMedia } from './sessionDescription.js';
export { SessionDescriptionError } from './errors.js';
export type * from './SipTypes.js';
