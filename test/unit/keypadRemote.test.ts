import { describe, expect, it } from 'vitest';
import { KeypadRemote } from '../../hub/ingest/KeypadRemote.js';

describe("a room system's keypad as its remote", () => {
  const reader = () => {
    const remote = new KeypadRemote();
    return (keys: string) => [...keys].map((key) => remote.push(key)).filter(Boolean);
  };

  it('reads *1 as asking for the floor and *0 as withdrawing, and nothing else', () => {
    const read = reader();
    expect(read('*1')).toEqual([{ kind: 'hand', raised: true }]);
    expect(read('*0')).toEqual([{ kind: 'hand', raised: false }]);
    // a key alone, another starred key, the PIN's keys: nothing
    expect(read('1')).toEqual([]);
    expect(read('*7')).toEqual([]);
    expect(read('123456#')).toEqual([]);
    // a star pressed twice still starts one command
    expect(read('**1')).toEqual([{ kind: 'hand', raised: true }]);
  });

  it('reads *2, a number and # as the room’s head count for the roll call', () => {
    const read = reader();
    expect(read('*212#')).toEqual([{ kind: 'headCount', count: 12 }]);
    expect(read('*20#')).toEqual([{ kind: 'headCount', count: 0 }]);
    // no number, a number too long, a star that starts over: nothing counted, or the command after the new start
    expect(read('*2#')).toEqual([]);
    expect(read('*212345#')).toEqual([]);
    expect(read('*21*1')).toEqual([{ kind: 'hand', raised: true }]);
    // the digits without *2 are not a count
    expect(read('12#')).toEqual([]);
  });
});
