import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { MeetingClient } from '../../client/src/meeting/MeetingClient.js';

type Ack = (result: unknown) => void;

/** What the page reads of the meeting's state in the lobby: its status, and no site or presenter yet. */
const meetingState = (status: 'SCHEDULED' | 'LIVE') => ({ status, sites: [], presenterCode: null });

describe('the page’s meeting client in the lobby', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('joins once when the meeting starts, however many meeting states say LIVE before its join is answered', async () => {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'] });
    let joins = 0;
    let joinsBeforeHand: number | undefined;
    io.on('connection', (socket) => {
      // a message the page sends after the states: what it sent before has arrived (one connection keeps order)
      socket.on('hand:raise', (_payload: unknown, ack: Ack) => {
        joinsBeforeHand = joins;
        ack({ ok: true, data: {} });
      });
      socket.on('meeting:join', (_payload: unknown, ack: Ack) => {
        joins++;
        // the first join waits in the lobby; the join after the start is still on its way (held) while the hub
        // tells the lobby of one change after another (a room system called, ringing, answered…)
        if (joins === 1)
          return ack({ ok: true, data: { admitted: false, siteCode: 'SO-NV', isChair: false, meeting: meetingState('SCHEDULED') } });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => io.close());
    const client = new MeetingClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    cleanups.push(() => client.close());

    let statesApplied = 0;
    client.on('meetingStateChanged', () => statesApplied++);
    await client.join({ meetingId: 'hop-1' });
    expect(client.state).toBe('waiting');
    for (let i = 0; i < 5; i++) io.emit('meeting:state', meetingState('LIVE'));
    // the page has taken all five, and joined from the lobby once
    await expect.poll(() => statesApplied).toBe(6);
    await client.command('hand:raise', { raised: true });
    expect(joinsBeforeHand).toBe(2);
  });
});
