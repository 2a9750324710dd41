import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditActions, type AuditAction, type AuditEntryDto } from '../../../../shared/accounts';
import { AdminFilter } from './AdminFilter';
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
  const [action, setAction] = useState<AuditAction | ''>('');
  const load = (before?: number) => {
    const query = new URLSearchParams({ limit: '100', ...(before ? { before: String(before) } : {}), ...(action ? { action } : {}) });
    api
      .get<AuditEntryDto[]>(`/api/audit?${query.toString()}`)
      .then((page) => setEntries((shown) => (before ? [...shown, ...page] : page)))
      .catch((e: unknown) => setError(errorText(e)));
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new action filter loads the trail anew
  useEffect(() => load(), [action]);
  return (
    <section>
      <ClipCheck />
      {error && <p className="error">{error}</p>}
      <AdminFilter
        label={t('admin.action')}
        value={action}
        onChange={setAction}
        options={auditActions.map((a) => ({ value: a, text: auditAction(a) }))}
        testId="filter-audit-action"
      />
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
