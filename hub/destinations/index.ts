/** destinations/: where the hub may send or pull a stream (never its own services, never a private address unless allowed). */
export { DestinationPolicy } from './DestinationPolicy.js';
export type { OwnService } from './DestinationPolicy.js';
