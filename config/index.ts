/** config/: the hub's environment, parsed once at start-up by one zod schema (docs/configuration.md). */
export { loadHubConfig } from './loadHubConfig.js';
export { hubEnvironment, hubEnvironmentVariables } from './hubEnvironment.js';
export type { HubEnvironment } from './hubEnvironment.js';
export type { HubConfig, LogLevel, RecordingConfig } from './HubConfigTypes.js';
export { ConfigError } from './errors.js';
export { detectLanAddress } from './lanAddress.js';
