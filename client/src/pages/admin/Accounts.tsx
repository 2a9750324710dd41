import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountDto, TemporaryPasswordDto } from '../../../../shared/accounts';
import { roles, type Role } from '../../../../shared/meetings';
import { api } from '../../api/http';
import { AdminSearch } from './AdminSearch';
import { matchesSearch, useAdminList } from './useAdminList';
import { AdminFilter } from './AdminFilter';

/** Accounts: create (a one-time password shown once), disable or enable, reset the password. */
const accountStates = ['active', 'disabled', 'mustChange'] as const;
type AccountState = (typeof accountStates)[number];
const accountState = (a: AccountDto): AccountState => (a.disabled ? 'disabled' : a.mustChangePassword ? 'mustChange' : 'active');

export function Accounts() {
  const { t } = useTranslation();
  const { items: accounts, loaded, error, errorAt, act } = useAdminList<AccountDto>('/api/users');
  // a one-time password, shown beside what asked for it: the create form, or the account's row
  const [issued, setIssued] = useState<{ password: TemporaryPasswordDto; at: string }>();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [state, setState] = useState<AccountState | ''>('');
  const shown = accounts.filter(
    (a) =>
      matchesSearch(search, a.username, a.displayName, a.bridgePointCode, t(`role.${a.role}`)) &&
      (role === '' || a.role === role) &&
      (state === '' || accountState(a) === state),
  );
  const filtered = search !== '' || role !== '' || state !== '';
  const [draft, setDraft] = useState({ username: '', displayName: '', role: 'BRIDGE_POINT' as Role, bridgePointCode: '' });
  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    act(
      api
        .post<TemporaryPasswordDto>('/api/users', { ...draft, bridgePointCode: draft.bridgePointCode.trim() || null })
        .then((password) => setIssued({ password, at: 'create' })),
      undefined,
      'create',
    );
  };
  return (
    <section>
      {error && <p className="error">{error}</p>}
      <div className="admin-finders">
        <AdminSearch value={search} onChange={setSearch} testId="search-accounts" />
        <AdminFilter
          label={t('admin.role')}
          value={role}
          onChange={setRole}
          options={roles.map((r) => ({ value: r, text: t(`role.${r}`) }))}
          testId="filter-role"
        />
        <AdminFilter
          label={t('admin.status')}
          value={state}
          onChange={setState}
          options={accountStates.map((s) => ({ value: s, text: t(`admin.filter.account.${s}`) }))}
          testId="filter-account-state"
        />
      </div>
      {loaded && shown.length === 0 && <p className="notice">{filtered ? t('admin.noMatch') : t('admin.empty.accounts')}</p>}
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
          {shown.map((a) => (
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
                <button
                  type="button"
                  onClick={() => {
                    // disabling signs the account out at once (a site leaves its meeting): asked first
                    if (!a.disabled && !window.confirm(t('admin.confirm.disable', { username: a.username, name: a.displayName }))) return;
                    act(api.patch(`/api/users/${a.username}`, { disabled: !a.disabled }), undefined, a.username);
                  }}
                >
                  {a.disabled ? t('admin.enable') : t('admin.disable')}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    act(
                      api
                        .post<TemporaryPasswordDto>(`/api/users/${a.username}/reset-password`)
                        .then((password) => setIssued({ password, at: a.username })),
                      undefined,
                      a.username,
                    )
                  }
                >
                  {a.disabledReason === 'SAMPLE_PASSWORD' ? t('admin.resetAndEnable') : t('admin.reset')}
                </button>
                {errorAt(a.username) && <p className="error">{errorAt(a.username)}</p>}
                {issued?.at === a.username && <Issued issued={issued.password} />}
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
        {errorAt('create') && <p className="error">{errorAt('create')}</p>}
        {issued?.at === 'create' && <Issued issued={issued.password} />}
      </form>
    </section>
  );
}

/** A one-time password, shown once where it was asked for: the admin writes it down or prints it. */
function Issued({ issued }: { issued: TemporaryPasswordDto }) {
  const { t } = useTranslation();
  return (
    <p className="notice" data-testid="temporary-password">
      {t('admin.temporary', { username: issued.account.username, password: issued.temporaryPassword })}
    </p>
  );
}
