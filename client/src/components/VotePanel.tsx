import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingView } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';
import { VoteResult } from './VoteResult';

/**
 * The chair's votes: a question put to the sites, open or secret; while it is open, the totals as the sites
 * answer and who has; closing it shows the result on every page.
 */
export function VotePanel({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting, voteTally } = view;
  const [question, setQuestion] = useState('');
  const [secret, setSecret] = useState(false);
  const [error, setError] = useState<string>();
  if (!meeting || meeting.status !== 'LIVE') return null;
  const open = meeting.votes.find((vote) => !vote.closedAt);
  const last = meeting.votes.at(-1);
  const run = (action: Promise<unknown>, then?: () => void) => {
    setError(undefined);
    action.then(then, (e: unknown) => setError(errorText(e)));
  };
  const onOpen = (event: FormEvent) => {
    event.preventDefault();
    run(client.command('chair:openVote', { question, secret }), () => setQuestion(''));
  };

  if (!open) {
    return (
      <section className="vote-panel" data-testid="vote-panel">
        <form className="form inline" onSubmit={onOpen}>
          <strong>{t('vote.heading')}</strong>
          <input
            required
            minLength={3}
            maxLength={500}
            placeholder={t('vote.question')}
            aria-label={t('vote.question')}
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
          />
          <label>
            <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} /> {t('vote.secret')}
          </label>
          <button type="submit" data-testid="vote-open">
            {t('vote.open')}
          </button>
        </form>
        {error && <p className="error">{error}</p>}
        {last && <VoteResult vote={last} />}
      </section>
    );
  }
  const totals = voteTally?.voteId === open.id ? voteTally.totals : open.choices.map(() => 0);
  const present = meeting.rollCall?.entries.length ?? 0;
  return (
    <section className="vote-panel" data-testid="vote-panel" data-vote-id={open.id}>
      <strong>
        {open.secret ? t('vote.secretBadge') : t('vote.openBadge')} {open.question}
      </strong>
      <table className="table" data-testid="vote-tally">
        <tbody>
          {open.choices.map((choice, i) => (
            <tr key={choice}>
              <td>{choice}</td>
              <td data-choice={i}>{totals[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="vote-answered">{t('vote.answered', { count: open.answeredCodes.length, present })}</p>
      <button type="button" data-testid="vote-close" onClick={() => run(client.command('chair:closeVote', { voteId: open.id }))}>
        {t('vote.close')}
      </button>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
