/** audit/: the trail of who did what (every domain records its actions here). */
export { AuditLog } from './AuditLog.js';
export type { AuditActor } from './AuditLog.js';
