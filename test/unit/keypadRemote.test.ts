import { describe, expect, it } from 'vitest';
import { KeypadRemote } from '../../hub/ingest/KeypadRemote.js';

describe("a room system's keypad as its remote", () => {
  it('reads *1 as asking for the floor and *0 as withdrawing, and nothing else', () => {
    const remote = new KeypadRemote();
    const read = (keys: string) => [...keys].map((key) => remote.push(key)).filter(Boolean);
    expect(read('*1')).toEqual(['raiseHand']);
    expect(read('*0')).toEqual(['lowerHand']);
    // a key alone, another starred key, the PIN's keys: nothing
    expect(read('1')).toEqual([]);
    expect(read('*7')).toEqual([]);
    expect(read('123456#')).toEqual([]);
    // a star pressed twice still starts one command
    expect(read('**1')).toEqual(['raiseHand']);
  });
});
