import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDto } from '../../../../shared/meetings';
import { api } from '../../api/http';
import { AdminSearch } from './AdminSearch';
import { matchesSearch, useAdminList } from './useAdminList';
import { dateTime } from '../../format';

/** A local date-time input's value for an ISO instant, and back. */
const toLocalInput = (iso: string) =>
  new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const fromLocalInput = (value: string) => new Date(value).toISOString();

/** Meetings not started yet: change their subject or time, or cancel them. */
export function Meetings() {
  const { t } = useTranslation();
  const {
    items: meetings,
    loaded,
    error,
    act,
  } = useAdminList<MeetingDto>('/api/meetings', (all) => all.filter((m) => m.status === 'SCHEDULED'));
  const [search, setSearch] = useState('');
  const shown = meetings.filter((m) => matchesSearch(search, m.title, m.chair.displayName, m.chair.username));
  const [editing, setEditing] = useState<{ id: string; title: string; start: string; end: string }>();

  return (
    <section data-testid="scheduled-meetings">
      {error && <p className="error">{error}</p>}
      <AdminSearch value={search} onChange={setSearch} testId="search-meetings" />
      {loaded && shown.length === 0 && <p className="notice">{search ? t('admin.noMatch') : t('admin.empty.meetings')}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>{t('meetings.title')}</th>
            <th>{t('meetings.start')}</th>
            <th>{t('meetings.end')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((m) =>
            editing?.id === m.id ? (
              <tr key={m.id}>
                <td>
                  <input value={editing.title} onChange={(e) => setEditing({ ...editing, title: e.target.value })} />
                </td>
                <td>
                  <input type="datetime-local" value={editing.start} onChange={(e) => setEditing({ ...editing, start: e.target.value })} />
                </td>
                <td>
                  <input type="datetime-local" value={editing.end} onChange={(e) => setEditing({ ...editing, end: e.target.value })} />
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      act(
                        api.patch(`/api/meetings/${m.id}`, {
                          title: editing.title,
                          scheduledStart: fromLocalInput(editing.start),
                          scheduledEnd: fromLocalInput(editing.end),
                        }),
                        () => setEditing(undefined),
                      )
                    }
                  >
                    {t('admin.save')}
                  </button>
                </td>
              </tr>
            ) : (
              <tr key={m.id} data-meeting-id={m.id}>
                <td>{m.title}</td>
                <td>{dateTime(m.scheduledStart)}</td>
                <td>{dateTime(m.scheduledEnd)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      setEditing({ id: m.id, title: m.title, start: toLocalInput(m.scheduledStart), end: toLocalInput(m.scheduledEnd) })
                    }
                  >
                    {t('admin.edit')}
                  </button>
                  <button type="button" onClick={() => act(api.post(`/api/meetings/${m.id}/cancel`))}>
                    {t('admin.cancelMeeting')}
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}
