import type { BroadcastOperator } from 'socket.io';
import type { ServerToClientEvents } from '../../shared/protocol.js';
import type { MeetingRoom } from '../../media-server/index.js';
import type { LiveMeeting } from './LiveMeeting.js';
import type { MeetingStore } from './MeetingStore.js';
import { type CallerHandlers, type HubSocket, SignallingError } from '../realtime/index.js';
import { admittedSeat, chairedMeeting } from './callerSeats.js';
import { said } from '../../shared/messages/index.js';

type ControlEvent =
  | 'chair:muteSite'
  | 'chair:muteAll'
  | 'chair:giveFloor'
  | 'chair:spotlight'
  | 'chair:removeSite'
  | 'chair:lock'
  | 'chair:rollCall'
  | 'hand:raise'
  | 'rollCall:confirm';

export interface ControlContext {
  store: MeetingStore;
  broadcast(live: LiveMeeting): void;
  siteSocket(live: LiveMeeting, code: string): HubSocket | undefined;
  /** The peer of a site with no connection of its own (a feed, a room system's call) in the meeting's room on this node. */
  connectionlessPeer(live: LiveMeeting, code: string): Promise<{ room: MeetingRoom; peerId: string } | undefined>;
  /** Hangs up the room system's call a site is in the meeting by; false when it has none. */
  hangUpCall(live: LiveMeeting, code: string): boolean;
  emitToMedia(live: LiveMeeting, except: HubSocket | undefined, emit: (to: BroadcastOperator<ServerToClientEvents, unknown>) => void): void;
  /** To the meeting's chair only (on whichever node its connection is). */
  emitToChair(live: LiveMeeting, emit: (to: BroadcastOperator<ServerToClientEvents, unknown>) => void): void;
}

/**
 * What the chair controls, enforced on the server (a muted site's microphone producer is paused in
 * the SFU, and the site cannot resume it) and written to the audit trail; and the sites' side of it:
 * raising a hand, answering the roll call.
 */
export class ChairControls {
  readonly #ctx: ControlContext;

  constructor(ctx: ControlContext) {
    this.#ctx = ctx;
  }

  readonly handlers: CallerHandlers<ControlEvent> = {
    'chair:muteSite': async (caller, { bridgePointCode, muted }) => {
      const { live, user } = chairedMeeting(caller);
      // an invited site, or a feed from outside (the Government's MCU, a room system that dialled in)
      if (!live.isSite(bridgePointCode)) this.#invited(live, bridgePointCode);
      await this.#setMuted(live, bridgePointCode, muted);
      await this.#audit(live, user, muted ? 'mute' : 'unmute', bridgePointCode);
      return null;
    },
    'chair:muteAll': async (caller) => {
      const { live, user } = chairedMeeting(caller);
      const targets = live.connectedCodes.filter((code) => code !== live.record.hostBridgePointCode && !live.mutedByChair.has(code));
      for (const code of targets) await this.#setMuted(live, code, true, false);
      this.#ctx.broadcast(live);
      await this.#audit(live, user, 'muteAll', null, `${targets.length} sites`);
      return { muted: targets.length };
    },
    'chair:giveFloor': async (caller, { bridgePointCode }) => {
      const { live, user } = chairedMeeting(caller);
      await this.giveFloor(live, bridgePointCode);
      this.#ctx.broadcast(live);
      await this.#audit(live, user, 'giveFloor', bridgePointCode);
      return null;
    },
    'chair:spotlight': async (caller, { bridgePointCode }) => {
      const { live, user } = chairedMeeting(caller);
      if (bridgePointCode) this.#site(live, bridgePointCode);
      live.spotlightCode = bridgePointCode;
      this.#ctx.broadcast(live);
      await this.#audit(live, user, 'spotlight', bridgePointCode);
      return null;
    },
    'chair:removeSite': async (caller, { bridgePointCode }) => {
      const { live, user } = chairedMeeting(caller);
      this.#invited(live, bridgePointCode);
      if (bridgePointCode === live.record.hostBridgePointCode) throw new SignallingError('FORBIDDEN', 'meeting.hostCannotBeRemoved');
      live.removed.add(bridgePointCode);
      live.setPresence(bridgePointCode, 'removed');
      if (live.spotlightCode === bridgePointCode) live.spotlightCode = null;
      if (live.floorCode === bridgePointCode) live.floorCode = null;
      const target = this.#ctx.siteSocket(live, bridgePointCode);
      target?.emit('meeting:closed', { reason: 'removed' });
      target?.disconnect(true);
      this.#ctx.hangUpCall(live, bridgePointCode);
      this.#ctx.broadcast(live);
      await this.#audit(live, user, 'remove', bridgePointCode);
      return null;
    },
    'chair:lock': async (caller, { locked }) => {
      const { live, user } = chairedMeeting(caller);
      await this.#ctx.store.setLocked(live.id, locked);
      live.locked = locked;
      this.#ctx.broadcast(live);
      await this.#audit(live, user, locked ? 'lock' : 'unlock');
      return null;
    },
    'chair:rollCall': async (caller, { open }) => {
      const { live, user } = chairedMeeting(caller);
      const now = new Date();
      if (open) {
        live.rollCall = await this.#ctx.store.rollCalls.open(live.id, now);
      } else {
        const current = live.rollCall;
        if (!current || current.closedAt) throw new SignallingError('ROLL_CALL_CLOSED', 'rollCall.notOpen');
        await this.#ctx.store.rollCalls.close(current.id, now);
        live.rollCall = { ...current, closedAt: now.toISOString() };
      }
      this.#ctx.broadcast(live);
      await this.#audit(live, user, open ? 'rollCallOpen' : 'rollCallClose');
      return null;
    },
    'hand:raise': async (caller, { raised }) => {
      const { live, siteCode } = admittedSeat(caller);
      live.raiseHand(siteCode, raised);
      this.#ctx.broadcast(live);
      return null;
    },
    'rollCall:confirm': async (caller, { headCount, reporterName }) => {
      const { live, siteCode } = admittedSeat(caller);
      if (!(await this.answerRollCall(live, siteCode, headCount, reporterName)))
        throw new SignallingError('ROLL_CALL_CLOSED', 'rollCall.notOpen');
      return null;
    },
  };

  /** The floor to a site (its request to speak answered, its microphone opened if the chair had closed it), or to none. */
  async giveFloor(live: LiveMeeting, code: string | null): Promise<void> {
    if (code) {
      this.#site(live, code);
      live.raiseHand(code, false);
      if (live.mutedByChair.has(code)) await this.#setMuted(live, code, false, false);
    }
    live.floorCode = code;
  }

  /** A site's answer to the open roll call (its page, or its room system's keypad); false when none is open. */
  async answerRollCall(live: LiveMeeting, siteCode: string, headCount: number, reporterName: string): Promise<boolean> {
    const rollCall = live.rollCall;
    if (!rollCall || rollCall.closedAt) return false;
    const at = new Date();
    await this.#ctx.store.rollCalls.confirm(rollCall.id, live.bridgePointId(siteCode), { headCount, reporterName, at });
    const entry = { code: siteCode, headCount, reporterName, confirmedAt: at.toISOString() };
    // the roll call as it is now: another site's answer may have landed meanwhile
    const current = live.rollCall ?? rollCall;
    live.rollCall = { ...current, entries: [...current.entries.filter((e) => e.code !== siteCode), entry] };
    this.#ctx.broadcast(live);
    return true;
  }

  /** Pauses (or resumes) the site's microphone in the SFU and tells everyone. */
  async #setMuted(live: LiveMeeting, code: string, muted: boolean, broadcast = true): Promise<void> {
    if (muted) live.mutedByChair.add(code);
    else live.mutedByChair.delete(code);
    const target = this.#ctx.siteSocket(live, code);
    // a feed or a room system's call has no connection: its peer is found in the room, and it cannot resume what the chair paused
    const media = target?.data.session?.media ?? (await this.#ctx.connectionlessPeer(live, code));
    if (media) {
      for (const producer of media.room.peer(media.peerId).producers.values()) {
        if (producer.appData.source !== 'microphone') continue;
        if (muted) await media.room.pauseProducer(media.peerId, producer.id);
        else await media.room.resumeProducer(media.peerId, producer.id);
        const payload = { peerId: media.peerId, producerId: producer.id };
        this.#ctx.emitToMedia(live, target, (to) => to.emit(muted ? 'producer:paused' : 'producer:resumed', payload));
      }
    }
    if (broadcast) this.#ctx.broadcast(live);
  }

  #site(live: LiveMeeting, code: string): void {
    if (!live.isSite(code)) throw new SignallingError('NOT_INVITED', said('meeting.notASite', { code }));
  }

  #invited(live: LiveMeeting, code: string): void {
    if (!live.isInvited(code)) throw new SignallingError('NOT_INVITED', said('meeting.notInvited', { code }));
  }

  async #audit(live: LiveMeeting, user: { id: number }, action: string, target: string | null = null, detail: string | null = null) {
    await this.#ctx.store.chairActions.record(live.id, user.id, action, target, detail);
  }
}
