import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BfcpServer, type BfcpSession } from '../../sip/bfcp/index.js';
import { bfcp, BfcpClient, requestStatusOf, uint16Attribute, type ReadBfcp } from '../support/bfcpClient.js';
import { testTempDir } from '../support/tempDirs.js';

const log = { info: () => undefined, warn: () => undefined };
const floorId = (id: number) => uint16Attribute(2, id);
const floorRequestId = (id: number) => uint16Attribute(3, id);

/** The meeting's presentation floor as the sessions' handlers see it: who holds it; the calls, told when it changes. */
let holder: string | null = null;
const calls = new Map<string, BfcpSession>();
let server: BfcpServer;

/** As the meeting does: each other call hears whether someone else presents now. */
function floorChanged(): void {
  for (const [name, session] of calls) session.heldElsewhere(holder !== null && holder !== name);
}

beforeAll(async () => {
  server = await BfcpServer.listen({ host: '127.0.0.1', port: 0, log });
});

afterAll(async () => {
  await server.close();
});

/** A call's floor control on the server, for a room system `name` at 127.0.0.1, and its client connected to it. */
async function call(name: string): Promise<{ session: BfcpSession; client: BfcpClient }> {
  const session = server.open({
    remoteAddress: '127.0.0.1',
    handler: {
      request: () => {
        if (holder !== null && holder !== name) return { granted: false, reason: `${holder} đang trình bày` };
        holder = name;
        floorChanged();
        return { granted: true };
      },
      release: () => {
        if (holder !== name) return;
        holder = null;
        floorChanged();
      },
    },
  });
  calls.set(name, session);
  const client = await BfcpClient.connect({
    host: '127.0.0.1',
    port: server.port,
    conferenceId: session.conferenceId,
    userId: session.userId,
  });
  return { session, client };
}

/**
 * What Wireshark's BFCP dissector reads of the server's messages: per message, its primitive and request statuses,
 * and whether it found anything malformed. The bytes go into a capture as TCP from the server's port.
 */
function dissected(messages: ReadBfcp[]): Array<{ primitive: number; statuses: string; problems: string }> {
  const dir = testTempDir('hub-bfcp-');
  const dump = messages
    .map((m) => m.bytes.toString('hex').match(/../g)!.join(' '))
    .map((hex) => `0000  ${hex}\n`)
    .join('\n');
  fs.writeFileSync(path.join(dir, 'dump.txt'), dump);
  execFileSync('text2pcap', ['-q', '-T', `${server.port},40000`, path.join(dir, 'dump.txt'), path.join(dir, 'bfcp.pcap')], {
    stdio: 'ignore',
  });
  const fields = execFileSync(
    'tshark',
    [
      ...['-r', path.join(dir, 'bfcp.pcap'), '-d', `tcp.port==${server.port},bfcp`],
      ...[
        '-T',
        'fields',
        '-E',
        'separator=|',
        '-e',
        'bfcp.primitive',
        '-e',
        'bfcp.request_status',
        '-e',
        '_ws.malformed',
        '-e',
        '_ws.expert.message',
      ],
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return fields
    .trim()
    .split('\n')
    .map((line) => {
      const [first = '', statuses = '', malformed = '', expert = ''] = line.split('|');
      return { primitive: Number(first), statuses, problems: `${malformed}${expert}` };
    });
}

describe("the hub's BFCP floor control server (RFC 8855 over TCP)", () => {
  it('greets, grants the content floor to the room system that asks while nobody presents, denies another, and takes a release', async () => {
    const first = await call('Phòng họp A');
    const second = await call('Phòng họp B');

    const hello = first.client.send(bfcp.Hello);
    const helloAck = await first.client.next((m) => m.transactionId === hello);
    expect(helloAck.primitive).toBe(bfcp.HelloAck);
    // it says what it supports: FloorRequest among its primitives (SUPPORTED-PRIMITIVES, type 11)
    expect([...helloAck.attributes.find(([type]) => type === 11)![1]]).toContain(bfcp.FloorRequest);

    // the second watches the floor (FloorQuery), and hears nobody holds it
    const query = second.client.send(bfcp.FloorQuery, [floorId(1)]);
    const idle = await second.client.next((m) => m.transactionId === query);
    expect([idle.primitive, requestStatusOf(idle)]).toEqual([bfcp.FloorStatus, undefined]);

    const request = first.client.send(bfcp.FloorRequest, [floorId(1)]);
    const granted = await first.client.next((m) => m.transactionId === request);
    expect([granted.primitive, requestStatusOf(granted)]).toEqual([bfcp.FloorRequestStatus, bfcp.Granted]);
    expect(first.session.granted).toBe(true);
    expect(holder).toBe('Phòng họp A');
    // the FLOOR-REQUEST-ID the client will release (FLOOR-REQUEST-INFORMATION's, type 15)
    const requestId = granted.attributes.find(([type]) => type === 15)![1].readUInt16BE(0);

    // the watcher is told, unasked (transaction 0), that the floor is held
    const held = await second.client.next((m) => m.transactionId === 0 && m.primitive === bfcp.FloorStatus);
    expect(requestStatusOf(held)).toBe(bfcp.Granted);

    // the other asks meanwhile: denied, with why in Vietnamese (STATUS-INFO, type 9)
    const refused = second.client.send(bfcp.FloorRequest, [floorId(1)]);
    const denied = await second.client.next((m) => m.transactionId === refused);
    expect(requestStatusOf(denied)).toBe(bfcp.Denied);
    expect(denied.attributes.find(([type]) => type === 9)![1].toString('utf8')).toBe('Phòng họp A đang trình bày');

    const release = first.client.send(bfcp.FloorRelease, [floorRequestId(requestId)]);
    const released = await first.client.next((m) => m.transactionId === release);
    expect(requestStatusOf(released)).toBe(bfcp.Released);
    expect(holder).toBe(null);
    expect(first.session.granted).toBe(false);

    // everything the server sent is BFCP as Wireshark reads it, nothing malformed
    const sent = [...first.client.received, ...second.client.received];
    expect(dissected(sent)).toEqual(sent.map((m) => ({ primitive: m.primitive, statuses: expect.any(String) as string, problems: '' })));
    expect(dissected([granted, denied, released]).map((m) => m.statuses)).toEqual(['3', '4', '6']);

    for (const { session, client } of [first, second]) {
      client.close();
      session.close();
    }
  });

  it('revokes the floor when the meeting gives it elsewhere, and gives it back when the connection drops', async () => {
    const room = await call('Phòng họp C');
    const request = room.client.send(bfcp.FloorRequest, [floorId(1)]);
    await room.client.next((m) => m.transactionId === request);
    expect(holder).toBe('Phòng họp C');

    // the chair hands the floor to another site: the room system's grant is revoked, unasked
    holder = 'Sở Nội vụ';
    room.session.revoke();
    const revoked = await room.client.next((m) => m.transactionId === 0 && m.primitive === bfcp.FloorRequestStatus);
    expect(requestStatusOf(revoked)).toBe(bfcp.Revoked);
    expect(room.session.granted).toBe(false);
    holder = null;

    // granted again, then its connection drops: the floor is free
    const again = room.client.send(bfcp.FloorRequest, [floorId(1)]);
    expect(requestStatusOf(await room.client.next((m) => m.transactionId === again))).toBe(bfcp.Granted);
    room.client.close();
    await expect.poll(() => holder).toBe(null);
    room.session.close();
  });

  it('answers what it cannot take with an Error, and a connection that names no call is closed', async () => {
    const room = await call('Phòng họp D');
    // another floor than the content one; a primitive it does not take (ChairAction); a release of no request
    const wrongFloor = room.client.send(bfcp.FloorRequest, [floorId(7)]);
    const chairAction = room.client.send(bfcp.ChairAction, []);
    const noRequest = room.client.send(bfcp.FloorRelease, [floorRequestId(42)]);
    const errorCode = (m: ReadBfcp) => m.attributes.find(([type]) => type === 6)?.[1][0];
    const errors = await Promise.all(
      [wrongFloor, chairAction, noRequest].map((transaction) => room.client.next((m) => m.transactionId === transaction)),
    );
    expect(errors.map((m) => [m.primitive, errorCode(m)])).toEqual([
      [bfcp.Error, 6],
      [bfcp.Error, 3],
      [bfcp.Error, 7],
    ]);
    expect(dissected(errors).map((m) => m.problems)).toEqual(['', '', '']);
    // still answering after them
    const hello = room.client.send(bfcp.Hello);
    expect((await room.client.next((m) => m.transactionId === hello)).primitive).toBe(bfcp.HelloAck);
    room.client.close();
    room.session.close();

    // a conference nobody was given: an Error (1), then the end of the connection
    const stranger = await BfcpClient.connect({ host: '127.0.0.1', port: server.port, conferenceId: 1234, userId: 5 });
    stranger.send(bfcp.Hello);
    const refused = await stranger.next((m) => m.primitive === bfcp.Error);
    expect(errorCode(refused)).toBe(1);
    await expect.poll(() => stranger.closed).toBe(true);

    // bytes that are no BFCP (version 7, a length past any message): an Error, the connection closed, the server up
    const garbage = await BfcpClient.connect({ host: '127.0.0.1', port: server.port, conferenceId: 0, userId: 0 });
    garbage.write(Buffer.from('INVITE sip:x SIP/2.0\r\n\r\n'));
    await expect.poll(() => garbage.closed).toBe(true);
    const after = await call('Phòng họp E');
    const hello2 = after.client.send(bfcp.Hello);
    expect((await after.client.next((m) => m.transactionId === hello2)).primitive).toBe(bfcp.HelloAck);
    after.client.close();
    after.session.close();
  });

  it("takes a call's connection only from the call's own address", async () => {
    const session = server.open({ remoteAddress: '127.0.0.1', handler: { request: () => ({ granted: true }), release: () => undefined } });
    const elsewhere = await BfcpClient.connect({
      host: '127.0.0.1',
      port: server.port,
      from: '127.0.0.3',
      conferenceId: session.conferenceId,
      userId: session.userId,
    });
    elsewhere.send(bfcp.FloorRequest, [floorId(1)]);
    const refused = await elsewhere.next((m) => m.primitive === bfcp.Error);
    expect(refused.attributes.find(([type]) => type === 6)?.[1][0]).toBe(1);
    expect(session.granted).toBe(false);
    session.close();
  });
});
