/**
 * hub/: the application. `app.ts` composes the domains (one folder each, each with its own `index.ts`) with
 * the engines (media-server, program, camera-gateway, cluster…); `main.ts` is the process entry.
 */
export { buildApp } from './app.js';
export { sessionCookieName } from './http/index.js';
export type { AppDeps, HubApp } from './app.js';
export type { HubServer } from './realtime/index.js';
