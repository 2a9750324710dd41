import type { SipRequest, SipResponse, Stack } from 'sip';
import { sessionExpires, type SessionTimer } from './dialogHeaders.js';

/** What a session keeper needs of its dialog. */
export interface KeptDialog {
  /** A new request within the dialog (with its next CSeq). */
  request(method: string): SipRequest;
  /** The dialog is up: an answer to the hub's refresh still matters. */
  up(): boolean;
  /** The session was refreshed by the hub's UPDATE, answered 2xx. */
  refreshed(): void;
  /** The far end no longer knows the call (it restarted, or is gone). */
  gone(): void;
  /** The far end did not refresh in time: the call is to be hung up. */
  expired(): void;
}

/**
 * One dialog's session timer (RFC 4028), for the hub's side of it (`ownSide`): when the hub is the refresher, an
 * UPDATE at half the interval (it changes no media); else the end of the call if the far end has not refreshed
 * shortly before the interval runs out.
 */
export class SessionKeeper {
  readonly #stack: Stack;
  readonly #ownSide: 'uac' | 'uas';
  readonly #dialog: KeptDialog;
  #timeout?: NodeJS.Timeout;

  constructor(stack: Stack, ownSide: 'uac' | 'uas', dialog: KeptDialog) {
    this.#stack = stack;
    this.#ownSide = ownSide;
    this.#dialog = dialog;
  }

  /** The session holds on these terms from now. */
  keep(timer: SessionTimer): void {
    clearTimeout(this.#timeout);
    if (timer.refresher === this.#ownSide) {
      this.#timeout = setTimeout(() => this.#refresh(timer), (timer.seconds * 1000) / 2);
      return;
    }
    const graceSeconds = Math.min(32, timer.seconds / 3);
    this.#timeout = setTimeout(() => this.#dialog.expired(), (timer.seconds - graceSeconds) * 1000);
  }

  stop(): void {
    clearTimeout(this.#timeout);
  }

  #refresh(timer: SessionTimer): void {
    if (!this.#dialog.up()) return;
    const update = this.#dialog.request('UPDATE');
    update.headers['session-expires'] = `${timer.seconds};refresher=${this.#ownSide}`;
    update.headers.supported = 'timer';
    this.#stack.send(update, (response) => {
      if (response.status < 200 || !this.#dialog.up()) return;
      if (response.status < 300) {
        this.keep(sessionExpires(response) ?? timer);
        this.#dialog.refreshed();
      } else if (response.status === 481 || response.status === 408) {
        this.#dialog.gone();
      } else {
        // refused for another reason (an old endpoint without UPDATE): the session stays until it expires
        this.keep({ seconds: timer.seconds, refresher: this.#ownSide === 'uac' ? 'uas' : 'uac' });
      }
    });
  }
}

/** A 2xx that takes the far end's session timer says its terms back, and requires the timer. */
export function echoSessionTimer(response: SipResponse, timer: SessionTimer): void {
  response.headers['session-expires'] = `${timer.seconds};refresher=${timer.refresher}`;
  response.headers.require = 'timer';
}
