import { said } from '../../shared/messages/index.js';
import type { CallerHandlers } from '../realtime/index.js';
import { SignallingError } from '../realtime/index.js';
import { chairedMeeting } from './callerSeats.js';
import type { ControlContext } from './ChairControls.js';

/**
 * The chair moves through the agenda (`chair:agendaItem`): the item under way ends, the one taken up begins, and
 * every page shows it with its time used against its plan. Each move is a span in the database: the recording's
 * chapters and the report's times per item are read from them.
 */
export class MeetingAgenda {
  readonly #ctx: ControlContext;

  constructor(ctx: ControlContext) {
    this.#ctx = ctx;
  }

  readonly handlers: CallerHandlers<'chair:agendaItem'> = {
    'chair:agendaItem': async (caller, { itemId }) => {
      const { live, user } = chairedMeeting(caller);
      // the agenda as stored: one changed over REST on another node is known at the meeting's home too
      live.agenda = await this.#ctx.store.agenda.live(live.id);
      if (itemId !== null && !live.agenda.items.some((item) => item.id === itemId))
        throw new SignallingError('NOT_FOUND', said('agenda.itemNotFound', { id: itemId }));
      if ((live.agenda.current?.itemId ?? null) === itemId) {
        this.#ctx.broadcast(live);
        return null;
      }
      await this.#ctx.store.agenda.take(live.id, itemId, new Date());
      live.agenda = await this.#ctx.store.agenda.live(live.id);
      this.#ctx.broadcast(live);
      const title = live.agenda.items.find((item) => item.id === itemId)?.title ?? null;
      await this.#ctx.store.chairActions.record(live.id, user.id, 'agendaItem', null, JSON.stringify({ itemId, title }));
      return null;
    },
  };
}
