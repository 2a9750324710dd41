/** audit/: the trail of who did what (every domain records its actions here). */
export { AuditLog } from './AuditLog.js';
export type { AuditActor, AuditRecord } from './AuditLog.js';
export { importAudit, importedItem } from './importAudit.js';
export type { ImportAudit } from './importAudit.js';
