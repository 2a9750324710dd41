import { said } from '../../shared/messages/index.js';
import { standardVoteChoices, type VoteState } from '../../shared/votes.js';
import { type CallerHandlers, SignallingError } from '../realtime/index.js';
import { admittedSeat, chairedMeeting } from './callerSeats.js';
import type { ControlContext } from './ChairControls.js';
import type { LiveMeeting } from './LiveMeeting.js';

type VoteEvent = 'chair:openVote' | 'chair:closeVote' | 'vote:answer';

/**
 * Votes (biểu quyết): the chair opens one, open or secret, and closes it; each site present answers with its
 * delegates' counts per choice, never more than the head count it gave at the latest roll call, and may change
 * its answer until the close. The chair sees the totals as they move (`vote:tally`); every page sees which sites
 * answered, and the totals once closed. A secret vote's answers live in this process only, for a change to move
 * the totals by its difference; the database holds its totals and who took part, never what a site chose.
 */
export class MeetingVotes {
  readonly #ctx: ControlContext;
  /** Each meeting's vote changes one after another: a site's second answer reads what its first one left. */
  readonly #queues = new WeakMap<LiveMeeting, Promise<unknown>>();

  constructor(ctx: ControlContext) {
    this.#ctx = ctx;
  }

  #serially<T>(live: LiveMeeting, work: () => Promise<T>): Promise<T> {
    const next = (this.#queues.get(live) ?? Promise.resolve()).then(work, work);
    this.#queues.set(
      live,
      next.catch(() => undefined),
    );
    return next;
  }

  readonly handlers: CallerHandlers<VoteEvent> = {
    'chair:openVote': async (caller, { question, secret, choices }) => {
      const { live, user } = chairedMeeting(caller);
      return this.#serially(live, async () => {
        const vote = await this.#ctx.store.votes.open(
          live.id,
          { question, secret, choices: choices ?? [...standardVoteChoices] },
          new Date(),
        );
        live.votes = [...live.votes, vote];
        live.secretAnswers.clear();
        this.#ctx.broadcast(live);
        this.#ctx.emitToChair(live, (to) =>
          to.emit('vote:tally', { voteId: vote.id, totals: vote.choices.map(() => 0), answeredCodes: [] }),
        );
        await this.#ctx.store.chairActions.record(
          live.id,
          user.id,
          'voteOpen',
          null,
          JSON.stringify({ voteId: vote.id, question, secret }),
        );
        return { voteId: vote.id };
      });
    },
    'chair:closeVote': async (caller, { voteId }) => {
      const { live, user } = chairedMeeting(caller);
      return this.#serially(live, async () => {
        this.#open(live, voteId);
        const closed = await this.#ctx.store.votes.close(voteId, new Date());
        live.votes = live.votes.map((vote) => (vote.id === voteId ? closed : vote));
        live.secretAnswers.clear();
        this.#ctx.broadcast(live);
        await this.#ctx.store.chairActions.record(
          live.id,
          user.id,
          'voteClose',
          null,
          JSON.stringify({ voteId, totals: closed.totals, answered: closed.answeredCodes.length }),
        );
        return null;
      });
    },
    'vote:answer': async (caller, { voteId, counts }) => {
      const { live, siteCode } = admittedSeat(caller);
      return this.#serially(live, async () => {
        const vote = this.#open(live, voteId);
        if (counts.length !== vote.choices.length)
          throw new SignallingError('INVALID_PAYLOAD', said('vote.choiceCount', { count: vote.choices.length }));
        const headCount = live.rollCall?.entries.find((entry) => entry.code === siteCode)?.headCount;
        if (headCount === undefined) throw new SignallingError('FORBIDDEN', 'vote.rollCallFirst');
        const answered = counts.reduce((sum, count) => sum + count, 0);
        if (answered > headCount) throw new SignallingError('FORBIDDEN', said('vote.moreThanPresent', { answered, headCount }));
        const secretBefore = vote.secret ? live.secretAnswers.get(siteCode) : undefined;
        // a secret answer given before the hub restarted is counted, but what it was is known nowhere: it stays as it is
        if (vote.secret && !secretBefore && vote.answeredCodes.includes(siteCode))
          throw new SignallingError('FORBIDDEN', 'vote.secretAnswerKept');
        await this.#ctx.store.votes.answer(vote, live.bridgePointId(siteCode), { counts, secretBefore, at: new Date() });
        if (vote.secret) live.secretAnswers.set(siteCode, counts);
        const answeredCodes = vote.answeredCodes.includes(siteCode) ? vote.answeredCodes : [...vote.answeredCodes, siteCode].sort();
        live.votes = live.votes.map((v) => (v.id === voteId ? { ...v, answeredCodes } : v));
        this.#ctx.broadcast(live);
        const totals = await this.#ctx.store.votes.totals(voteId);
        this.#ctx.emitToChair(live, (to) => to.emit('vote:tally', { voteId, totals, answeredCodes }));
        return null;
      });
    },
  };

  /** The meeting's open vote with this id; a closed one, or another meeting's, is refused. */
  #open(live: LiveMeeting, voteId: number): VoteState {
    const vote = live.votes.find((v) => v.id === voteId);
    if (!vote || vote.closedAt) throw new SignallingError('FORBIDDEN', 'vote.notOpen');
    return vote;
  }
}
