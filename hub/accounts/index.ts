/** accounts/: sign-in, sessions, passwords and the admin's account management (REST). */
export { AccountAdmin } from './AccountAdmin.js';
export { accountRoutes } from './accountRoutes.js';
export { authRoutes } from './authRoutes.js';
export { AuthService } from './AuthService.js';
export type { AuthServiceOptions, AuthenticatedUser } from './AuthServiceTypes.js';
export { LoginThrottle } from './LoginThrottle.js';
export type { LoginThrottleOptions } from './LoginThrottle.js';
