import type { TFunction } from 'i18next';
import { isMessageKey } from '../../../../shared/messages/index.js';
import { say } from '../../api/errors';
import { dateTime } from '../../format';
import { importKinds, type ImportKind } from '../../../../shared/provinceImport';

const isImportKind = (value: string): value is ImportKind => (importKinds as readonly string[]).includes(value);

/**
 * The audit trail in words: an action's name, its target ("Camera 12", "Tài khoản xa-01") and its detail as
 * "label: value" pairs, each field named as the forms name it and each coded value (a role, a level, a
 * recording mode) in words. What the table does not know is shown as recorded.
 */
export function auditAction(action: string): string {
  const key = `audit.action.${action}`;
  return isMessageKey(key) ? say(key) : action;
}

export function auditTarget(target: string | null): string {
  if (!target) return '';
  const [kind, id] = splitOnce(target, ':');
  const key = `audit.target.${kind}`;
  return isMessageKey(key) && id !== undefined ? say({ key, params: { id } }) : target;
}

export function auditDetail(detail: unknown, t: TFunction): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object' || Array.isArray(detail)) return valueText('', detail, t);
  return Object.entries(detail)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${fieldLabel(name)}: ${valueText(name, value, t)}`)
    .join('; ');
}

function fieldLabel(name: string): string {
  const key = `field.${name}`;
  return isMessageKey(key) ? say(key) : name;
}

/** Coded values by the field that holds them, in the pages' own words. */
const codedValues: Record<string, (value: string, t: TFunction) => string> = {
  role: (value, t) => t(`role.${value}`),
  level: (value, t) => t(`unitLevel.${value}`),
  recordMode: (value, t) => t(`admin.camera.record.${value}`),
  iceTransportPolicy: (value) => (value === 'relay' || value === 'all' ? say(`network.${value}`) : value),
  importKind: (value) => (isImportKind(value) ? say(`import.kind.${value}`) : value),
};

function valueText(name: string, value: unknown, t: TFunction): string {
  if (typeof value === 'boolean') return say(value ? 'audit.yes' : 'audit.no');
  if (Array.isArray(value)) return value.map((item) => valueText(name, item, t)).join(', ');
  if (typeof value === 'object' && value !== null) return `(${auditDetail(value, t)})`;
  const text = String(value);
  const coded = codedValues[name];
  if (coded) return coded(text, t);
  // a moment recorded as ISO 8601 reads as the reader's local date and time
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text) && !Number.isNaN(Date.parse(text))) return dateTime(text);
  return text;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
