import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDto } from '../../../shared/meetings';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { readerLocale } from '../format';

/**
 * Meetings not yet ended that the user may join (a site sees only those it is invited to), kept
 * fresh while the list is shown.
 */
export function useOpenMeetings(shown = true): { meetings: MeetingDto[]; reload: () => void; error?: string } {
  const [meetings, setMeetings] = useState<MeetingDto[]>([]);
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    api
      .get<MeetingDto[]>('/api/meetings')
      .then((all) => setMeetings(all.filter((m) => m.status !== 'ENDED')))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(() => {
    if (!shown) return;
    reload();
    const timer = setInterval(reload, 30_000);
    return () => clearInterval(timer);
  }, [reload, shown]);
  return { meetings, reload, error };
}

export function MeetingList({ meetings, actions }: { meetings: MeetingDto[]; actions: (meeting: MeetingDto) => ReactNode }) {
  const { t } = useTranslation();
  if (meetings.length === 0) return <p>{t('meetings.none')}</p>;
  const time = (iso: string) => new Date(iso).toLocaleString(readerLocale(), { dateStyle: 'short', timeStyle: 'short' });
  return (
    <table className="table">
      <thead>
        <tr>
          <th>{t('meetings.title')}</th>
          <th>{t('meetings.time')}</th>
          <th>{t('meetings.hostLevel')}</th>
          <th>{t('meetings.status')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {meetings.map((m) => (
          <tr key={m.id} data-testid="meeting-row" data-meeting-id={m.id}>
            <td>{m.title}</td>
            <td>{time(m.scheduledStart)}</td>
            <td>{t(`hostLevel.${m.hostLevel}`)}</td>
            <td>{t(`meetingStatus.${m.status}`)}</td>
            <td>{actions(m)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
