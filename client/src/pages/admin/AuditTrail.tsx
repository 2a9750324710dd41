import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryDto } from '../../../../shared/accounts';
import { api } from '../../api/http';
import { ClipCheck } from './ClipCheck';
import { errorText, say } from '../../api/errors';
import { auditAction, auditDetail, auditTarget } from './auditWords';
import { dateTime } from '../../format';

/** The audit trail, newest first, paged back 100 entries at a time. */
export function AuditTrail() {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<AuditEntryDto[]>([]);
  const [error, setError] = useState<string>();
  const load = (before?: number) => {
    api
      .get<AuditEntryDto[]>(`/api/audit?limit=100${before ? `&before=${before}` : ''}`)
      .then((page) => setEntries((shown) => (before ? [...shown, ...page] : page)))
      .catch((e: unknown) => setError(errorText(e)));
  };
  useEffect(() => load(), []);
  return (
    <section>
      <ClipCheck />
      {error && <p className="error">{error}</p>}
      <table className="table" data-testid="audit">
        <thead>
          <tr>
            <th>{t('admin.at')}</th>
            <th>{t('admin.actor')}</th>
            <th>{t('admin.action')}</th>
            <th>{t('admin.target')}</th>
            <th>{t('admin.detail')}</th>
            <th>{t('admin.address')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{dateTime(entry.at)}</td>
              <td>{entry.actor === 'hub' ? say('audit.hub') : entry.actor}</td>
              <td data-action={entry.action}>{auditAction(entry.action)}</td>
              <td>{auditTarget(entry.target)}</td>
              <td>{auditDetail(entry.detail, t)}</td>
              <td>{entry.address ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length > 0 && (
        <button type="button" onClick={() => load(entries.at(-1)!.id)}>
          {t('admin.older')}
        </button>
      )}
    </section>
  );
}
