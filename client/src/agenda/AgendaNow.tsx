import { useTranslation } from 'react-i18next';
import type { AgendaState } from '../../../shared/agenda';
import { minutesAndSeconds, usePageClock } from './agendaTime';

/**
 * On every page of the meeting: the item under way, its presenter, and its time used against its plan. `since` is
 * when it began on this page's own clock (`MeetingView.agendaSince`), so a page whose clock is wrong counts right.
 */
export function AgendaNow({ agenda, since, siteName }: { agenda: AgendaState; since: number | null; siteName: (code: string) => string }) {
  const { t } = useTranslation();
  const now = usePageClock(since !== null);
  const index = agenda.items.findIndex((item) => item.id === agenda.current?.itemId);
  const item = agenda.items[index];
  if (!item || since === null) return null;
  const used = item.usedSeconds + Math.max(0, now - since) / 1000;
  const planned = item.plannedMinutes * 60;
  const over = used > planned;
  return (
    <p className={over ? 'agenda-now over' : 'agenda-now'} role="status" data-testid="agenda-now" data-item-id={item.id} data-over={over}>
      <span>{t('agenda.itemOf', { number: index + 1, count: agenda.items.length })}</span> <strong>{item.title}</strong>
      {item.presenterCode && <span> — {siteName(item.presenterCode)}</span>}{' '}
      <span className="agenda-clock" data-testid="agenda-clock">
        {minutesAndSeconds(used)} / {minutesAndSeconds(planned)}
      </span>
      {over && <strong> {t('agenda.overPlan', { time: minutesAndSeconds(used - planned) })}</strong>}
    </p>
  );
}
