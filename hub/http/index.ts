/** http/: what every REST route shares: access control, the error answer, security headers, the session cookie, heavy-export slots. */
export { accessControl, only } from './accessControl.js';
export type { RouteAccess } from './accessControl.js';
export { HeavyExports } from './HeavyExports.js';
export { errorSchema, httpErrorHandler, InvalidRequestError, refusal, saidRoles, validatorCompiler } from './httpErrors.js';
export { attachment, inlineFile, meetingFileName } from './attachment.js';
export { fromOwnOrigin } from './ownOrigin.js';
export { registerSecurityHeaders } from './securityHeaders.js';
export { sessionCookieName, sessionCookieOptions, sessionToken } from './sessionCookie.js';
