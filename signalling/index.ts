/** signalling/: fastify REST + OpenAPI and the typed socket.io meeting protocol. */
export { buildApp } from './app.js';
export { sessionCookieName } from './auth/sessionCookie.js';
export type { AppDeps, HubApp } from './app.js';
export type { HubServer } from './SignallingTypes.js';
