/**
 * What a room system's keypad does in its meeting: `*1` asks for the floor (raises its hand), `*0` lowers it, and
 * `*2`, a number, `#` answers the roll call with the room's head count (a bridge point's room system only). The
 * chair's console shows this legend (FeedPanel, `feeds.sipKeypad`).
 */
export type KeypadCommand = { kind: 'hand'; raised: boolean } | { kind: 'headCount'; count: number };

/** A head count has at most this many digits (a conference room holds fewer than 10,000 people). */
const maxCountDigits = 4;

/**
 * The keys a room system presses during its call, read as commands: `*` then one key, or `*2` then digits ended
 * by `#`. Anything else is ignored (a key pressed by mistake, the PIN's keys, a remote's other buttons); a `*`
 * always starts a command anew.
 */
export class KeypadRemote {
  #state: { at: 'idle' } | { at: 'starred' } | { at: 'counting'; digits: string } = { at: 'idle' };

  /** The command the key completes, if any. */
  push(key: string): KeypadCommand | undefined {
    const state = this.#state;
    if (key === '*') {
      this.#state = { at: 'starred' };
      return undefined;
    }
    this.#state = { at: 'idle' };
    if (state.at === 'starred') {
      if (key === '1') return { kind: 'hand', raised: true };
      if (key === '0') return { kind: 'hand', raised: false };
      if (key === '2') this.#state = { at: 'counting', digits: '' };
      return undefined;
    }
    if (state.at === 'counting') {
      if (key === '#' && state.digits.length > 0) return { kind: 'headCount', count: Number(state.digits) };
      // a number too long was keyed by mistake: it counts for nothing
      if (/^\d$/.test(key) && state.digits.length < maxCountDigits) this.#state = { at: 'counting', digits: state.digits + key };
    }
    return undefined;
  }
}
