import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isFeedCode } from '../../../shared/meetings';
import type { MeetingView } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';

/** What the chair may give a speaker, in seconds. */
const limits = [30, 60, 120, 180, 300, 600, 900];

/**
 * The chair's requests to speak, in order: who (and which delegate) asks, on what; moved up or down, declined, or
 * called with a time limit. A feed from outside that asks is given the floor as before (no speech to time).
 */
export function SpeakingPanel({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting } = view;
  const [limitSeconds, setLimitSeconds] = useState(180);
  const [error, setError] = useState<string>();
  if (!meeting) return null;
  const { requests, current } = meeting.speaking;
  if (requests.length === 0 && !current) return null;
  const live = meeting.status === 'LIVE';
  const nameOf = (code: string) =>
    meeting.sites.find((s) => s.code === code)?.name ?? meeting.feeds.find((f) => f.code === code)?.name ?? code;
  const run = (action: Promise<unknown>) => {
    setError(undefined);
    action.then(
      () => undefined,
      (e: unknown) => setError(errorText(e)),
    );
  };
  const move = (index: number, by: number) => {
    const codes = requests.map((r) => r.code);
    const [code] = codes.splice(index, 1);
    codes.splice(index + by, 0, code!);
    run(client.command('chair:reorderRequests', { codes }));
  };
  return (
    <section className="speaking-panel" data-testid="speaking-panel">
      <h3>{t('speaking.heading')}</h3>
      {current && (
        <p data-testid="speaking-current">
          {t('speaking.speaking')} <strong>{nameOf(current.code)}</strong>
          {current.delegateName && ` (${current.delegateName})`}{' '}
          <button type="button" data-testid="speech-end" disabled={!live} onClick={() => run(client.command('chair:endSpeech', {}))}>
            {t('speaking.end')}
          </button>
        </p>
      )}
      {requests.length > 0 && (
        <>
          <label>
            {t('speaking.limit')}{' '}
            <select data-testid="speech-limit" value={limitSeconds} onChange={(e) => setLimitSeconds(Number(e.target.value))}>
              {limits.map((seconds) => (
                <option key={seconds} value={seconds}>
                  {seconds < 60 ? t('speaking.seconds', { count: seconds }) : t('speaking.minutes', { count: seconds / 60 })}
                </option>
              ))}
            </select>
          </label>
          <ol data-testid="hand-queue">
            {requests.map((request, index) => (
              <li key={request.code} data-testid="speaking-request" data-site-code={request.code}>
                <strong>{nameOf(request.code)}</strong>
                {request.delegateName && ` (${request.delegateName})`}
                {request.topic && ` — ${request.topic}`}{' '}
                <span className="actions">
                  <button type="button" aria-label={t('speaking.moveUp')} disabled={!live || index === 0} onClick={() => move(index, -1)}>
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={t('speaking.moveDown')}
                    disabled={!live || index === requests.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    data-testid="speech-call"
                    disabled={!live}
                    onClick={() =>
                      run(
                        isFeedCode(request.code)
                          ? client.command('chair:giveFloor', { bridgePointCode: request.code })
                          : client.command('chair:callSpeaker', { bridgePointCode: request.code, limitSeconds }),
                      )
                    }
                  >
                    {t('speaking.call')}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    data-testid="speech-decline"
                    disabled={!live}
                    onClick={() => run(client.command('chair:declineRequest', { bridgePointCode: request.code }))}
                  >
                    {t('speaking.decline')}
                  </button>
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
