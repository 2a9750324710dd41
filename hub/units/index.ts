/** units/: the province's units and bridge points (điểm cầu): administration, history, network policy. */
export { BridgePointDirectory } from './BridgePointDirectory.js';
export { bridgePointRoutes } from './bridgePointRoutes.js';
export { UnitAdmin } from './UnitAdmin.js';
export { unitRoutes } from './unitRoutes.js';
export { RoomSystemDirectory } from './RoomSystemDirectory.js';
export type { RoomSystemRecord } from './RoomSystemDirectory.js';
export { roomSystemRoutes } from './roomSystemRoutes.js';
