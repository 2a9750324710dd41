import { z } from 'zod';
import type { Db } from '../../prisma/index.js';
import type { VoteState } from '../../shared/votes.js';
import { MeetingRuleError } from './meetingRules.js';

const countsSchema = z.array(z.number().int().min(0));
const choicesSchema = z.array(z.string());

const voteInclude = {
  tallies: { orderBy: { choice: 'asc' } },
  participants: { include: { bridgePoint: { select: { code: true } } } },
  ballots: { include: { bridgePoint: { select: { code: true } } } },
} as const;

/**
 * A meeting's votes in the database. Every vote keeps its totals per choice and which sites answered; an open
 * vote also each site's counts. A secret vote's totals move by the difference a site's new answer makes, which
 * the caller knows (from memory, never from here): nothing stored says what a site chose.
 */
export class VoteStore {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async open(meetingId: string, vote: { question: string; secret: boolean; choices: string[] }, at: Date): Promise<VoteState> {
    const open = await this.#prisma.vote.findFirst({ where: { meetingId, closedAt: null } });
    if (open) throw new MeetingRuleError('CONFLICT', 'vote.alreadyOpen');
    const created = await this.#prisma.vote.create({
      data: {
        meetingId,
        question: vote.question,
        secret: vote.secret,
        choices: JSON.stringify(vote.choices),
        openedAt: at,
        tallies: { create: vote.choices.map((_, choice) => ({ choice, count: 0 })) },
      },
      include: voteInclude,
    });
    return toVoteState(created);
  }

  /**
   * Records a site's answer: that it answered, and the totals moved by what it changed. An open vote's ballot
   * holds its counts (its former ones are read from there); for a secret vote the caller says the site's former
   * counts (`secretBefore`, kept in memory only, none for a first answer), and nothing stored says what it chose.
   */
  async answer(vote: VoteState, bridgePointId: number, answer: { counts: number[]; secretBefore?: number[]; at: Date }): Promise<void> {
    await this.#prisma.$transaction(async (tx) => {
      // a write on the vote's row: a close running beside this answer waits for it, or this answer sees it closed
      const still = await tx.vote.updateMany({ where: { id: vote.id, closedAt: null }, data: { closedAt: null } });
      if (still.count === 0) throw new MeetingRuleError('CONFLICT', 'vote.notOpen');
      const key = { voteId_bridgePointId: { voteId: vote.id, bridgePointId } };
      await tx.voteParticipant.upsert({
        where: key,
        update: { answeredAt: answer.at },
        create: { voteId: vote.id, bridgePointId, answeredAt: answer.at },
      });
      let before = answer.secretBefore;
      if (!vote.secret) {
        const ballot = await tx.voteBallot.findUnique({ where: key });
        before = ballot ? countsSchema.parse(JSON.parse(ballot.counts)) : undefined;
        const counts = JSON.stringify(answer.counts);
        await tx.voteBallot.upsert({ where: key, update: { counts }, create: { voteId: vote.id, bridgePointId, counts } });
      }
      for (const [choice, count] of answer.counts.entries()) {
        const by = count - (before?.[choice] ?? 0);
        if (by !== 0)
          await tx.voteTally.update({ where: { voteId_choice: { voteId: vote.id, choice } }, data: { count: { increment: by } } });
      }
    });
  }

  /** Closes the vote; a closed vote never changes again. */
  async close(voteId: number, at: Date): Promise<VoteState> {
    const closed = await this.#prisma.vote.updateMany({ where: { id: voteId, closedAt: null }, data: { closedAt: at } });
    if (closed.count === 0) throw new MeetingRuleError('CONFLICT', 'vote.notOpen');
    return toVoteState(await this.#prisma.vote.findUniqueOrThrow({ where: { id: voteId }, include: voteInclude }));
  }

  async list(meetingId: string): Promise<VoteState[]> {
    const votes = await this.#prisma.vote.findMany({ where: { meetingId }, include: voteInclude, orderBy: { id: 'asc' } });
    return votes.map(toVoteState);
  }

  /** The running totals of a vote (the chair's live tally). */
  async totals(voteId: number): Promise<number[]> {
    const tallies = await this.#prisma.voteTally.findMany({ where: { voteId }, orderBy: { choice: 'asc' } });
    return tallies.map((t) => t.count);
  }
}

type VoteRow = NonNullable<Awaited<ReturnType<Db['vote']['findFirst']>>> & {
  tallies: Array<{ choice: number; count: number }>;
  participants: Array<{ bridgePoint: { code: string } }>;
  ballots: Array<{ counts: string; bridgePoint: { code: string } }>;
};

function toVoteState(row: VoteRow): VoteState {
  const closed = row.closedAt !== null;
  return {
    id: row.id,
    question: row.question,
    secret: row.secret,
    choices: choicesSchema.parse(JSON.parse(row.choices)),
    openedAt: row.openedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    answeredCodes: row.participants.map((p) => p.bridgePoint.code).sort(),
    totals: closed ? row.tallies.map((t) => t.count) : null,
    ballots:
      closed && !row.secret
        ? row.ballots
            .map((b) => ({ code: b.bridgePoint.code, counts: countsSchema.parse(JSON.parse(b.counts)) }))
            .sort((a, b) => a.code.localeCompare(b.code))
        : null,
  };
}
