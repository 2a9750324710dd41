import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MotionIntervalDto, MotionRegion, MotionSearchDto } from '../../../shared/cameras';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { dayMs, fromLocalInput, localInput, timeZone } from './provinceTime';
import { exportClip, lockEvidence } from './evidence';

const sensitivities = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
/** Kept either side of a found interval when it is locked or exported: the moment before and after it. */
const marginMs = 5000;

/**
 * Smart search: the region drawn on the picture, a time range, how faint a motion counts and how much
 * of the region must move; the intervals found are listed and marked on the timeline, and each can be
 * played, bookmarked with a note, locked as evidence or exported as a clip.
 */
export function MotionSearch({
  cameraId,
  region,
  drawing,
  canDraw,
  day,
  onDraw,
  onFound,
  onJump,
  onBookmarked,
}: {
  cameraId: number;
  region: MotionRegion | null;
  drawing: boolean;
  /** A picture is on screen to draw on. */
  canDraw: boolean;
  /** The timeline's day: what is searched unless the supervisor says otherwise. */
  day: Date;
  onDraw: () => void;
  onFound: (intervals: MotionIntervalDto[]) => void;
  onJump: (at: Date) => void;
  onBookmarked: () => void;
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => localInput(day));
  const [to, setTo] = useState(() => localInput(new Date(Math.min(Date.now(), day.getTime() + dayMs))));
  const [sensitivity, setSensitivity] = useState(6);
  const [minArea, setMinArea] = useState(5);
  const [found, setFound] = useState<MotionSearchDto | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();

  const search = () => {
    const start = fromLocalInput(from);
    const end = fromLocalInput(to);
    if (!region || !start || !end) return;
    setError(undefined);
    api
      .post<MotionSearchDto>(`/api/cameras/${cameraId}/motion-search`, {
        from: start.toISOString(),
        to: end.toISOString(),
        region,
        sensitivity,
        minArea,
      })
      .then((answer) => {
        setFound(answer);
        onFound(answer.intervals);
      })
      .catch((e: unknown) => setError(errorText(e)));
  };
  const around = (interval: MotionIntervalDto) => ({
    from: new Date(Date.parse(interval.start) - marginMs).toISOString(),
    to: new Date(Date.parse(interval.end) + marginMs).toISOString(),
  });
  const act = (work: Promise<unknown>, done: string) => {
    work.then(() => setMessage(done)).catch((e: unknown) => setError(errorText(e)));
  };
  const time = (iso: string) => new Date(iso).toLocaleTimeString('vi-VN', { timeZone });

  return (
    <section className="motion-search" data-testid="motion-search" aria-label={t('motion.title')}>
      <h3>{t('motion.title')}</h3>
      <div className="controls">
        <button type="button" data-testid="motion-draw" aria-pressed={drawing} disabled={!canDraw} onClick={onDraw}>
          {region ? t('motion.redraw') : t('motion.draw')}
        </button>
        {!canDraw && <span className="hint">{t('motion.playFirst')}</span>}
        <label>
          {t('motion.from')}
          <input type="datetime-local" step={1} data-testid="motion-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('motion.to')}
          <input type="datetime-local" step={1} data-testid="motion-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          {t('motion.sensitivity')}
          <select data-testid="motion-sensitivity" value={sensitivity} onChange={(e) => setSensitivity(Number(e.target.value))}>
            {sensitivities.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('motion.minArea')}
          <input
            type="number"
            min={1}
            max={100}
            data-testid="motion-min-area"
            value={minArea}
            onChange={(e) => setMinArea(Number(e.target.value))}
          />
        </label>
        <button type="button" data-testid="motion-find" disabled={!region} onClick={search}>
          {t('motion.find')}
        </button>
      </div>
      {found && (
        <>
          <p data-testid="motion-count" data-count={found.intervals.length}>
            {found.intervals.length === 0 ? t('motion.none') : t('motion.count', { count: found.intervals.length })}
            {found.truncated && ` ${t('motion.truncated')}`}
          </p>
          {found.intervals.length > 0 && (
            <input placeholder={t('motion.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="motion-note" />
          )}
          <ol className="motion-results">
            {found.intervals.map((interval) => (
              <li key={interval.start} data-testid="motion-result" data-start={interval.start} data-end={interval.end}>
                <span>
                  {time(interval.start)} – {time(interval.end)} · {t('motion.peak', { percent: Math.round(interval.peak) })}
                </span>
                <button type="button" data-testid="motion-play" onClick={() => onJump(new Date(Date.parse(interval.start) - 2000))}>
                  {t('motion.play')}
                </button>
                <button
                  type="button"
                  data-testid="motion-bookmark"
                  disabled={note.trim().length < 3}
                  onClick={() =>
                    act(
                      api.post(`/api/cameras/${cameraId}/bookmarks`, { from: interval.start, to: interval.end, note }).then(onBookmarked),
                      t('motion.bookmarked'),
                    )
                  }
                >
                  {t('motion.bookmark')}
                </button>
                <button
                  type="button"
                  data-testid="motion-lock"
                  disabled={note.trim().length < 3}
                  onClick={() => act(lockEvidence(cameraId, around(interval), note), t('playback.locked'))}
                >
                  {t('motion.lock')}
                </button>
                <button
                  type="button"
                  data-testid="motion-export"
                  onClick={() => {
                    exportClip(cameraId, around(interval)).then(
                      (sha256) => setMessage(t('playback.exported', { sha256 })),
                      (e: unknown) => setError(errorText(e)),
                    );
                  }}
                >
                  {t('motion.export')}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {message && <p data-testid="motion-message">{message}</p>}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
