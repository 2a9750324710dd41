import type { AuditActor, AuditRecord } from './AuditLog.js';

/** An import's trail: each item it created names the file it came from, and one entry sums the import up. */
export interface ImportAudit {
  actor: AuditActor;
  fileName: string;
  address?: string;
  summary: AuditRecord;
}

export function importAudit(
  actor: AuditActor,
  file: { importKind: string; fileName: string; sha256: string; rows: number },
  address?: string,
): ImportAudit {
  return { actor, fileName: file.fileName, address, summary: { actor, action: 'import.apply', target: undefined, detail: file, address } };
}

/** A created item's entry in an import's trail. */
export function importedItem(audit: ImportAudit, record: Omit<AuditRecord, 'actor' | 'address'>): AuditRecord {
  return { ...record, actor: audit.actor, address: audit.address, detail: { ...record.detail, importedFrom: audit.fileName } };
}
