import type { MeetingRoom } from '../../media-server/index.js';
import type { LiveMeeting } from './LiveMeeting.js';
import type { ControlContext } from './ChairControls.js';
import { type CallerHandlers, SignallingError } from '../realtime/index.js';
import { liveSeat } from './callerSeats.js';
import { said } from '../../shared/messages/index.js';

type PresentationEvent = 'presentation:request' | 'presentation:release' | 'chair:presentation';

/**
 * The presentation floor, held by one site at a time and enforced here (only its holder may produce a
 * `screen`), as a hardware MCU's content token: a site asks and gets it when nobody presents, releases
 * it (its track ended, it left); the chair hands it to a site, takes it for the host site or revokes it.
 * A holder that loses it has its screen producer closed by the server, so nobody sees two presentations.
 */
export class PresentationFloor {
  readonly #ctx: ControlContext;

  constructor(ctx: ControlContext) {
    this.#ctx = ctx;
  }

  readonly handlers: CallerHandlers<PresentationEvent> = {
    'presentation:request': async (caller) => {
      const { live, siteCode } = liveSeat(caller);
      const holder = live.presenterCode;
      if (holder !== null && holder !== siteCode) {
        const name = live.record.invited.find((site) => site.code === holder)?.name ?? holder;
        throw new SignallingError('PRESENTATION_BUSY', said('presentation.busy', { name }));
      }
      if (holder === siteCode) return null;
      live.presenterCode = siteCode;
      this.#ctx.broadcast(live);
      await this.#ctx.store.chairActions.record(live.id, caller.user.id, 'presentationStart', siteCode);
      return null;
    },
    'presentation:release': async (caller) => {
      const { live, siteCode } = liveSeat(caller);
      if (live.presenterCode !== siteCode) return null;
      this.#handTo(live, null);
      await this.#ctx.store.chairActions.record(live.id, caller.user.id, 'presentationEnd', siteCode);
      return null;
    },
    'chair:presentation': async (caller, { bridgePointCode }) => {
      const { live } = liveSeat(caller);
      if (!caller.seat?.isChair) throw new SignallingError('FORBIDDEN', 'meeting.chairOnly');
      if (bridgePointCode !== null) {
        if (!live.isSite(bridgePointCode)) throw new SignallingError('NOT_INVITED', said('meeting.notASite', { code: bridgePointCode }));
        // a feed from outside presents its own picture (the Government's slides come in its video)
        if (!live.isHere(bridgePointCode))
          throw new SignallingError('FORBIDDEN', said('presentation.siteAbsent', { code: bridgePointCode }));
      }
      const previous = live.presenterCode;
      this.#handTo(live, bridgePointCode);
      await this.#ctx.store.chairActions.record(
        live.id,
        caller.user.id,
        bridgePointCode === null ? 'presentationRevoke' : 'presentationGrant',
        bridgePointCode ?? previous,
      );
      return null;
    },
  };

  /** A site's screen producer closed (its track ended, its transport went): the floor is free if it held it. */
  screenClosed(live: LiveMeeting, siteCode: string): void {
    if (live.presenterCode !== siteCode) return;
    live.presenterCode = null;
    this.#ctx.broadcast(live);
  }

  /** Gives the floor to `code` (null: nobody); the previous holder's screen stops being forwarded at once. */
  #handTo(live: LiveMeeting, code: string | null): void {
    const previous = live.presenterCode;
    live.presenterCode = code;
    if (previous !== null && previous !== code) this.#closeScreen(live, previous);
    this.#ctx.broadcast(live);
  }

  #closeScreen(live: LiveMeeting, code: string): void {
    const closeScreens = ({ room, peerId }: { room: MeetingRoom; peerId: string }) => {
      for (const producer of [...room.peer(peerId).producers.values()]) if (producer.appData.source === 'screen') producer.close();
    };
    const media = this.#ctx.siteSocket(live, code)?.data.session?.media;
    if (media) {
      closeScreens(media);
      return;
    }
    // a site in by a SIP call (a room system presenting over BFCP) has no socket: its peer is found in the room
    this.#ctx
      .connectionlessPeer(live, code)
      .then((peer) => peer && closeScreens(peer))
      .catch(() => undefined); // the room closed meanwhile: no screen is forwarded any more
  }
}
