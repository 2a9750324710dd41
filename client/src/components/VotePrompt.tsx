import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingView } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';
import { VoteResult } from './VoteResult';

/**
 * A bridge point's ballot: the open vote's question, how many of its delegates chose each answer (at most the
 * number it gave at the roll call), changeable until the chair closes it; then the result.
 */
export function VotePrompt({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting } = view;
  const [counts, setCounts] = useState<Record<number, string>>({});
  const [sent, setSent] = useState<{ voteId: number; counts: number[] }>();
  const [error, setError] = useState<string>();
  const vote = meeting?.votes.at(-1);
  if (!meeting || !vote) return null;
  if (vote.closedAt) return <VoteResult vote={vote} />;
  const headCount = meeting.rollCall?.entries.find((e) => e.code === client.siteCode)?.headCount;
  const numbers = vote.choices.map((_, i) => Number(counts[i] ?? 0));
  const sum = numbers.reduce((a, b) => a + b, 0);
  const answered = sent?.voteId === vote.id ? sent : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    client.command('vote:answer', { voteId: vote.id, counts: numbers }).then(
      () => setSent({ voteId: vote.id, counts: numbers }),
      (e: unknown) => setError(errorText(e)),
    );
  };
  return (
    <form className="roll-call vote-prompt" data-testid="vote-form" data-vote-id={vote.id} onSubmit={onSubmit}>
      <strong>
        {vote.secret ? t('vote.secretBadge') : t('vote.openBadge')} {vote.question}
      </strong>
      <span>{headCount === undefined ? t('vote.rollCallFirst') : t('vote.present', { count: headCount, sum })}</span>
      {vote.choices.map((choice, i) => (
        <label key={choice}>
          {choice}
          <input
            type="number"
            min={0}
            max={headCount ?? 0}
            required
            data-choice={i}
            value={counts[i] ?? ''}
            onChange={(e) => setCounts({ ...counts, [i]: e.target.value })}
          />
        </label>
      ))}
      <button type="submit" data-testid="vote-send" disabled={headCount === undefined}>
        {answered ? t('vote.change') : t('vote.send')}
      </button>
      {answered && (
        <span data-testid="vote-sent">
          {t('vote.sent', { counts: answered.counts.map((n, i) => `${vote.choices[i]} ${n}`).join(', ') })}
        </span>
      )}
      {error && <span className="error">{error}</span>}
    </form>
  );
}
