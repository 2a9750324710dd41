import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountDto, TemporaryPasswordDto } from '../../../../shared/accounts';
import { roles, type Role } from '../../../../shared/meetings';
import { api } from '../../api/http';
import { useAdminList } from './useAdminList';

/** Accounts: create (a one-time password shown once), disable or enable, reset the password. */
export function Accounts() {
  const { t } = useTranslation();
  const { items: accounts, error, act } = useAdminList<AccountDto>('/api/users');
  const [issued, setIssued] = useState<TemporaryPasswordDto>();
  const [draft, setDraft] = useState({ username: '', displayName: '', role: 'BRIDGE_POINT' as Role, bridgePointCode: '' });
  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    act(api.post<TemporaryPasswordDto>('/api/users', { ...draft, bridgePointCode: draft.bridgePointCode.trim() || null }).then(setIssued));
  };
  return (
    <section>
      {error && <p className="error">{error}</p>}
      {issued && (
        <p className="notice" data-testid="temporary-password">
          {t('admin.temporary', { username: issued.account.username, password: issued.temporaryPassword })}
        </p>
      )}
      <table className="table" data-testid="accounts">
        <thead>
          <tr>
            <th>{t('admin.username')}</th>
            <th>{t('admin.displayName')}</th>
            <th>{t('admin.role')}</th>
            <th>{t('admin.site')}</th>
            <th>{t('admin.status')}</th>
            <th>{t('admin.sessions')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.username} data-username={a.username} data-disabled-reason={a.disabledReason ?? ''}>
              <td>{a.username}</td>
              <td>{a.displayName}</td>
              <td>{t(`role.${a.role}`)}</td>
              <td>{a.bridgePointCode ?? ''}</td>
              <td>
                {a.disabled ? t('admin.disabled') : t('admin.active')}
                {a.mustChangePassword ? ` (${t('admin.mustChange')})` : ''}
                {a.disabledReason === 'SAMPLE_PASSWORD' && <small className="hint"> {t('admin.samplePasswordDisabled')}</small>}
              </td>
              <td>{a.activeSessions}</td>
              <td>
                <button type="button" onClick={() => act(api.patch(`/api/users/${a.username}`, { disabled: !a.disabled }))}>
                  {a.disabled ? t('admin.enable') : t('admin.disable')}
                </button>
                <button
                  type="button"
                  onClick={() => act(api.post<TemporaryPasswordDto>(`/api/users/${a.username}/reset-password`).then(setIssued))}
                >
                  {a.disabledReason === 'SAMPLE_PASSWORD' ? t('admin.resetAndEnable') : t('admin.reset')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form inline" onSubmit={onCreate}>
        <h3>{t('admin.create')}</h3>
        <input
          required
          placeholder={t('admin.username')}
          value={draft.username}
          onChange={(e) => setDraft({ ...draft, username: e.target.value })}
        />
        <input
          required
          placeholder={t('admin.displayName')}
          value={draft.displayName}
          onChange={(e) => setDraft({ ...draft, displayName: e.target.value })}
        />
        <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {t(`role.${role}`)}
            </option>
          ))}
        </select>
        <input
          placeholder={t('admin.site')}
          value={draft.bridgePointCode}
          onChange={(e) => setDraft({ ...draft, bridgePointCode: e.target.value })}
        />
        <button type="submit">{t('admin.create')}</button>
      </form>
    </section>
  );
}
