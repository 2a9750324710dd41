import { useTranslation } from 'react-i18next';
import { warningSeconds, type SpeakingState } from '../../../shared/speaking';
import { minutesAndSeconds, usePageClock } from '../agenda/agendaTime';

/**
 * On every page: who has the floor, and the time left of what the chair gave, by the page's own clock from the
 * hub's figure. It turns to a warning before the end, and counts the overtime after it.
 */
export function SpeakerCountdown({
  speaking,
  since,
  siteName,
}: {
  speaking: SpeakingState;
  since: number | null;
  siteName: (code: string) => string;
}) {
  const { t } = useTranslation();
  const now = usePageClock(since !== null);
  const speech = speaking.current;
  if (!speech || since === null) return null;
  const left = speech.limitSeconds - Math.max(0, now - since) / 1000;
  const phase = left < 0 ? 'overtime' : left <= warningSeconds(speech.limitSeconds) ? 'warning' : 'speaking';
  return (
    <p
      className={`speaker-countdown ${phase}`}
      role="timer"
      data-testid="speaker-countdown"
      data-phase={phase}
      data-site-code={speech.code}
    >
      <span>{t('speaking.speaking')}</span> <strong>{siteName(speech.code)}</strong>
      {speech.delegateName && <span> ({speech.delegateName})</span>}
      {speech.topic && <span> — {speech.topic}</span>}{' '}
      <span className="countdown-clock" data-testid="countdown-clock">
        {phase === 'overtime'
          ? t('speaking.overtime', { time: minutesAndSeconds(-left) })
          : t('speaking.left', { time: minutesAndSeconds(Math.ceil(left)) })}
      </span>
    </p>
  );
}
