/** What a room system's keypad does in its meeting: `*1` asks for the floor (raises its hand), `*0` lowers it. */
export type KeypadCommand = 'raiseHand' | 'lowerHand';

/** The commands, by the key after `*`: what the chair's console says they mean (FeedPanel's legend). */
export const keypadCommands: Record<string, KeypadCommand> = { '1': 'raiseHand', '0': 'lowerHand' };

/**
 * The keys a room system presses during its call, read as commands: `*` then one key. Anything else is ignored
 * (a key pressed by mistake, the PIN's keys, a remote's other buttons).
 */
export class KeypadRemote {
  #starred = false;

  /** The command the key completes, if any. */
  push(key: string): KeypadCommand | undefined {
    if (key === '*') {
      this.#starred = true;
      return undefined;
    }
    const command = this.#starred ? keypadCommands[key] : undefined;
    this.#starred = false;
    return command;
  }
}
