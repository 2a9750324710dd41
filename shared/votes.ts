/**
 * Votes (biểu quyết) as the socket protocol and the meeting's state present them. The chair puts a question to the
 * sites, open or secret; each site present answers with its delegates' counts per choice, at most the head count
 * it gave at the latest roll call, and may change its answer until the chair closes the vote.
 */
import { z } from 'zod';

/** The three choices of a Vietnamese council's vote, unless the chair names others. */
export const standardVoteChoices = ['Tán thành', 'Không tán thành', 'Không biểu quyết'] as const;

export const openVoteSchema = z.strictObject({
  question: z.string().trim().min(3).max(500),
  /** Secret: only the totals and which sites answered are kept, never what a site chose. */
  secret: z.boolean(),
  choices: z.array(z.string().trim().min(1).max(100)).min(2).max(10).optional(),
});
export const closeVoteSchema = z.strictObject({ voteId: z.number().int().positive() });
export const answerVoteSchema = z.strictObject({
  voteId: z.number().int().positive(),
  /** The site's delegates for each choice, in the vote's order. */
  counts: z.array(z.number().int().min(0).max(10_000)).min(2).max(10),
});

/** A vote as every page of the meeting sees it. */
export interface VoteState {
  id: number;
  question: string;
  secret: boolean;
  choices: string[];
  openedAt: string;
  closedAt: string | null;
  /** The sites that have answered, by code (a secret vote too: who took part is public, not what they chose). */
  answeredCodes: string[];
  /** Each choice's total, once closed (while open only the chair sees them, `vote:tally`). */
  totals: number[] | null;
  /** An open vote's answers, site by site, once closed; a secret vote never has them. */
  ballots: Array<{ code: string; counts: number[] }> | null;
}

/** The running totals of the open vote: to the chair only. */
export interface VoteTally {
  voteId: number;
  totals: number[];
  answeredCodes: string[];
}
