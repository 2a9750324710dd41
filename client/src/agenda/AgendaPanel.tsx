import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingView } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';
import { minutesAndSeconds } from './agendaTime';

/** The chair moves through the agenda: takes an item up, the next one, or none (a pause between items). */
export function AgendaPanel({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting } = view;
  const [error, setError] = useState<string>();
  if (!meeting || meeting.agenda.items.length === 0) return null;
  const { items, current } = meeting.agenda;
  const live = meeting.status === 'LIVE';
  const currentIndex = items.findIndex((item) => item.id === current?.itemId);
  const next = items[currentIndex + 1];
  const take = (itemId: number | null) => {
    setError(undefined);
    client.command('chair:agendaItem', { itemId }).then(
      () => undefined,
      (e: unknown) => setError(errorText(e)),
    );
  };
  return (
    <section className="agenda-panel" data-testid="agenda-panel">
      <h3>{t('agenda.heading')}</h3>
      <ol>
        {items.map((item) => (
          <li
            key={item.id}
            data-testid="agenda-panel-item"
            data-item-id={item.id}
            className={item.id === current?.itemId ? 'current' : undefined}
          >
            <span>{item.title}</span>{' '}
            <small>
              {item.id === current?.itemId
                ? t('agenda.underWay')
                : t('agenda.usedOfPlanned', { used: minutesAndSeconds(item.usedSeconds), planned: item.plannedMinutes })}
            </small>{' '}
            {item.id !== current?.itemId && (
              <button type="button" data-testid="agenda-take" disabled={!live} onClick={() => take(item.id)}>
                {t('agenda.take')}
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="actions">
        {next && (
          <button type="button" data-testid="agenda-next" disabled={!live} onClick={() => take(next.id)}>
            {t('agenda.next')}
          </button>
        )}
        {current && (
          <button type="button" data-testid="agenda-pause" disabled={!live} onClick={() => take(null)}>
            {t('agenda.pause')}
          </button>
        )}
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
