import { useTranslation } from 'react-i18next';
import type { VoteState } from '../../../shared/votes';

/** A closed vote's result as every page shows it: each choice's total, and for an open vote each site's answer. */
export function VoteResult({ vote }: { vote: VoteState }) {
  const { t } = useTranslation();
  if (!vote.totals) return null;
  const total = vote.totals.reduce((sum, n) => sum + n, 0);
  return (
    <div className="vote-result" role="status" data-testid="vote-result" data-vote-id={vote.id}>
      <strong>
        {t('vote.result')} {vote.secret ? t('vote.secretBadge') : ''} {vote.question}
      </strong>
      <ul>
        {vote.choices.map((choice, i) => (
          <li key={choice} data-choice={i}>
            {choice}: {vote.totals![i]} ({total > 0 ? Math.round((vote.totals![i]! / total) * 100) : 0}%)
          </li>
        ))}
      </ul>
      <p>{t('vote.sitesAnswered', { count: vote.answeredCodes.length, total })}</p>
    </div>
  );
}
