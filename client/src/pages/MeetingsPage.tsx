import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AgendaEditor } from '../agenda/AgendaEditor';
import { useSession } from '../api/session';
import { MeetingList, useOpenMeetings } from '../components/MeetingList';

/**
 * Preparing meetings (the secretariat, the chair for its own, the admin): each meeting not yet over, and its agenda
 * with the documents the sites will read.
 */
export function MeetingsPage() {
  const { t } = useTranslation();
  const user = useSession()?.user;
  const { meetings, error } = useOpenMeetings();
  const [chosen, setChosen] = useState<string>();
  const shown = meetings.filter((m) => m.status !== 'CANCELLED' && (user?.role !== 'CHAIR' || m.chair.username === user.username));
  const meeting = shown.find((m) => m.id === chosen);
  return (
    <main className="page">
      <section>
        <h2>{t('agenda.pageHeading')}</h2>
        {error && <p className="error">{error}</p>}
        <MeetingList
          meetings={shown}
          actions={(m) => (
            <button type="button" data-testid="agenda-edit" aria-pressed={m.id === chosen} onClick={() => setChosen(m.id)}>
              {t('agenda.edit')}
            </button>
          )}
        />
      </section>
      {meeting && <AgendaEditor key={meeting.id} meeting={meeting} />}
    </main>
  );
}
