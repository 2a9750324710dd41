/** turn/: relayed media for sites behind strict firewalls — Debian's coturn, run by the hub, and browsers' credentials. */
export { CoturnServer } from './CoturnServer.js';
export type { CoturnOptions } from './CoturnServerTypes.js';
export { turnCredentials, type TurnCredentials } from './turnCredentials.js';
export { TurnServerError } from './errors.js';
export { TurnAccess, type IceServerInfo, type TurnAccessOptions } from './TurnAccess.js';
export { hubTurnAccess, startHubTurn, turnSecret, type HubTurnSettings } from './hubTurn.js';
