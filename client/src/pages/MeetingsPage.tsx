import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDto } from '../../../shared/meetings';
import { AgendaEditor } from '../agenda/AgendaEditor';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { useSession } from '../api/session';
import { MeetingList, useOpenMeetings } from '../components/MeetingList';
import { MinutesEditor } from '../minutes/MinutesEditor';

/** How many meetings that ended the page lists for their minutes, the latest first. */
const endedShown = 30;

/**
 * Preparing meetings and writing them up (the secretariat, the chair for its own, the admin): each meeting not yet
 * over with its agenda and the documents the sites will read; each meeting that ended with its minutes.
 */
export function MeetingsPage() {
  const { t } = useTranslation();
  const user = useSession()?.user;
  const { meetings, error } = useOpenMeetings();
  const [ended, setEnded] = useState<MeetingDto[]>([]);
  const [endedError, setEndedError] = useState<string>();
  const [chosen, setChosen] = useState<{ id: string; for: 'agenda' | 'minutes' }>();
  useEffect(() => {
    api.get<MeetingDto[]>('/api/meetings?status=ENDED').then(
      (all) => setEnded(all.reverse().slice(0, endedShown)),
      (e: unknown) => setEndedError(errorText(e)),
    );
  }, []);
  const own = (m: MeetingDto) => user?.role !== 'CHAIR' || m.chair.username === user.username;
  const upcoming = meetings.filter((m) => m.status !== 'CANCELLED' && own(m));
  const done = ended.filter(own);
  const agendaOf = upcoming.find((m) => chosen?.for === 'agenda' && m.id === chosen.id);
  const minutesOf = done.find((m) => chosen?.for === 'minutes' && m.id === chosen.id);
  return (
    <main className="page">
      <section>
        <h2>{t('agenda.pageHeading')}</h2>
        {error && <p className="error">{error}</p>}
        <MeetingList
          meetings={upcoming}
          actions={(m) => (
            <button
              type="button"
              data-testid="agenda-edit"
              aria-pressed={agendaOf?.id === m.id}
              onClick={() => setChosen({ id: m.id, for: 'agenda' })}
            >
              {t('agenda.edit')}
            </button>
          )}
        />
      </section>
      {agendaOf && <AgendaEditor key={agendaOf.id} meeting={agendaOf} />}
      <section>
        <h2>{t('minutes.pageHeading')}</h2>
        {endedError && <p className="error">{endedError}</p>}
        <MeetingList
          meetings={done}
          actions={(m) => (
            <button
              type="button"
              data-testid="minutes-edit"
              aria-pressed={minutesOf?.id === m.id}
              onClick={() => setChosen({ id: m.id, for: 'minutes' })}
            >
              {t('minutes.edit')}
            </button>
          )}
        />
      </section>
      {minutesOf && <MinutesEditor key={minutesOf.id} meeting={minutesOf} />}
    </main>
  );
}
