import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSystemDto } from '../../../../shared/roomSystems';
import type { UnitDto } from '../../../../shared/units';
import { api } from '../../api/http';
import { useAdminList } from './useAdminList';
import { timeOnly } from '../../format';

/**
 * The bridge points' room systems (their conference rooms' SIP codecs): the account each registers and calls the hub
 * with, where the hub calls it, and whether it is registered now. The password is set here and never shown again.
 */
export function RoomSystems({ units }: { units: UnitDto[] }) {
  const { t } = useTranslation();
  const { items: systems, error, act } = useAdminList<RoomSystemDto>('/api/room-systems');
  const [form, setForm] = useState({ code: '', username: '', password: '', address: '', allowPlainRtp: false });
  const paired = systems.find((s) => s.bridgePointCode === form.code);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    act(
      api.put(`/api/bridge-points/${form.code}/room-system`, {
        username: form.username,
        address: form.address || null,
        allowPlainRtp: form.allowPlainRtp,
        ...(form.password ? { password: form.password } : {}),
      }),
      () => setForm({ code: '', username: '', password: '', address: '', allowPlainRtp: false }),
    );
  };
  const pick = (code: string) => {
    const current = systems.find((s) => s.bridgePointCode === code);
    setForm({
      code,
      username: current?.username ?? '',
      password: '',
      address: current?.address ?? '',
      allowPlainRtp: current?.allowPlainRtp ?? false,
    });
  };

  return (
    <section data-testid="room-systems">
      <h3>{t('admin.roomSystem.title')}</h3>
      {error && <p className="error">{error}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>{t('admin.roomSystem.unit')}</th>
            <th>{t('admin.roomSystem.username')}</th>
            <th>{t('admin.roomSystem.address')}</th>
            <th>{t('admin.roomSystem.media')}</th>
            <th>{t('admin.roomSystem.registration')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => (
            <tr
              key={s.bridgePointCode}
              data-testid="room-system-row"
              data-code={s.bridgePointCode}
              data-registered={s.registration !== null}
            >
              <td>{s.bridgePointCode}</td>
              <td>{s.username}</td>
              <td>{s.address ?? '–'}</td>
              <td>{s.allowPlainRtp ? t('admin.roomSystem.plainRtpAllowed') : 'SRTP'}</td>
              <td>
                {s.registration
                  ? t('admin.roomSystem.registered', {
                      address: s.registration.sourceAddress,
                      until: timeOnly(s.registration.expiresAt),
                    })
                  : t('admin.roomSystem.notRegistered')}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    if (window.confirm(t('admin.roomSystem.confirmRemove', { code: s.bridgePointCode })))
                      act(api.delete(`/api/bridge-points/${s.bridgePointCode}/room-system`));
                  }}
                >
                  {t('admin.roomSystem.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form inline" onSubmit={submit}>
        <select required aria-label={t('admin.roomSystem.unit')} value={form.code} onChange={(e) => pick(e.target.value)}>
          <option value="" />
          {units
            .filter((u) => !u.retiredAt)
            .map((u) => (
              <option key={u.code} value={u.code}>
                {u.code} – {u.name}
              </option>
            ))}
        </select>
        <input
          required
          name="sipUsername"
          autoComplete="off"
          placeholder={t('admin.roomSystem.username')}
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
        <input
          name="sipPassword"
          type="password"
          autoComplete="new-password"
          required={!paired}
          placeholder={t(paired ? 'admin.roomSystem.passwordKept' : 'admin.roomSystem.password')}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <input
          name="sipAddress"
          placeholder={t('admin.roomSystem.address')}
          value={form.address}
          onChange={(e) => setForm({ ...form, address: e.target.value })}
        />
        <label>
          <input
            type="checkbox"
            name="allowPlainRtp"
            checked={form.allowPlainRtp}
            onChange={(e) => setForm({ ...form, allowPlainRtp: e.target.checked })}
          />{' '}
          {t('admin.roomSystem.allowPlainRtp')}
        </label>
        <button type="submit">{t('admin.roomSystem.save')}</button>
      </form>
    </section>
  );
}
