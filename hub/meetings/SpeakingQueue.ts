import { said } from '../../shared/messages/index.js';
import { type CallerHandlers, SignallingError } from '../realtime/index.js';
import { admittedSeat, chairedMeeting } from './callerSeats.js';
import type { ChairControls, ControlContext } from './ChairControls.js';
import type { LiveMeeting } from './LiveMeeting.js';

type SpeakingEvent =
  'speech:request' | 'chair:reorderRequests' | 'chair:declineRequest' | 'chair:callSpeaker' | 'chair:endSpeech' | 'chair:giveFloor';

/**
 * Requests to speak and the speeches: a site asks for the floor with a topic and its delegate's name (a raised hand,
 * or a room system's `*1`, asks with neither); the chair orders the requests, declines one, or calls a site with a
 * time limit, which gives it the floor and starts its speech; the speech ends when the chair ends it, moves the floor,
 * or the meeting ends. Each speech is stored with its agenda item: the minutes list the speakers from it.
 */
export class SpeakingQueue {
  readonly #ctx: ControlContext;
  readonly #controls: ChairControls;

  constructor(ctx: ControlContext, controls: ChairControls) {
    this.#ctx = ctx;
    this.#controls = controls;
  }

  readonly handlers: CallerHandlers<SpeakingEvent> = {
    'speech:request': async (caller, { topic, delegateName }) => {
      const { live, siteCode, isChair } = admittedSeat(caller);
      if (isChair) throw new SignallingError('FORBIDDEN', 'speaking.chairNeedsNoRequest');
      live.raiseHand(siteCode, true, { topic: topic || null, delegateName: delegateName || null });
      this.#ctx.broadcast(live);
      return null;
    },
    'chair:reorderRequests': async (caller, { codes }) => {
      const { live, user } = chairedMeeting(caller);
      if (!live.reorderHands(codes)) throw new SignallingError('FORBIDDEN', 'speaking.queueChanged');
      this.#ctx.broadcast(live);
      await this.#ctx.store.chairActions.record(live.id, user.id, 'reorderRequests', null, JSON.stringify(codes));
      return null;
    },
    'chair:declineRequest': async (caller, { bridgePointCode }) => {
      const { live, user } = chairedMeeting(caller);
      if (!live.hasRaisedHand(bridgePointCode))
        throw new SignallingError('FORBIDDEN', said('speaking.notWaiting', { code: bridgePointCode }));
      live.raiseHand(bridgePointCode, false);
      this.#ctx.broadcast(live);
      this.#ctx.siteSocket(live, bridgePointCode)?.emit('speech:declined', {});
      await this.#ctx.store.chairActions.record(live.id, user.id, 'declineRequest', bridgePointCode);
      return null;
    },
    'chair:callSpeaker': async (caller, { bridgePointCode, limitSeconds }) => {
      const { live, user } = chairedMeeting(caller);
      if (!live.isInvited(bridgePointCode)) throw new SignallingError('NOT_INVITED', said('meeting.notInvited', { code: bridgePointCode }));
      const request = live.requestDetailsOf(bridgePointCode);
      await this.#controls.giveFloor(live, bridgePointCode);
      live.speech = await this.#ctx.store.speeches.begin(
        live.id,
        {
          code: bridgePointCode,
          bridgePointId: live.bridgePointId(bridgePointCode),
          topic: request?.topic ?? null,
          delegateName: request?.delegateName ?? null,
          limitSeconds,
          agendaItemId: live.agenda.current?.itemId ?? null,
        },
        new Date(),
      );
      this.#ctx.broadcast(live);
      await this.#ctx.store.chairActions.record(live.id, user.id, 'callSpeaker', bridgePointCode, JSON.stringify({ limitSeconds }));
      return null;
    },
    'chair:endSpeech': async (caller) => {
      const { live, user } = chairedMeeting(caller);
      if (!live.speech) throw new SignallingError('FORBIDDEN', 'speaking.noSpeech');
      const code = live.speech.code;
      await this.#endSpeech(live);
      if (live.floorCode === code) await this.#controls.giveFloor(live, null);
      this.#ctx.broadcast(live);
      await this.#ctx.store.chairActions.record(live.id, user.id, 'endSpeech', code);
      return null;
    },
    // the floor moved by hand (to another site, or to none) ends the speech under way
    'chair:giveFloor': async (caller, payload) => {
      const { live } = chairedMeeting(caller);
      if (live.speech && live.speech.code !== payload.bridgePointCode) await this.#endSpeech(live);
      return this.#controls.handlers['chair:giveFloor'](caller, payload);
    },
  };

  async #endSpeech(live: LiveMeeting): Promise<void> {
    await this.#ctx.store.speeches.end(live.id, new Date());
    live.speech = null;
  }
}
