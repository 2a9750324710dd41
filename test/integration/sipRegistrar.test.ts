import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SipEndpoint, type SipIncomingCall } from '../../sip/index.js';
import { freeUdpAndTcpPort } from '../support/freePort.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const log = { info: () => undefined, warn: () => undefined };
const password = 'mat-khau-phong-hop';

/** A hub endpoint whose one account is a room system's, with a lockout after 3 failures; closed after the test. */
async function hubWithAccount() {
  const port = await freeUdpAndTcpPort();
  const hub = await SipEndpoint.listen(
    {
      port,
      listenIp: '127.0.0.1',
      announcedAddress: '127.0.0.1',
      userAgent: 'hub',
      realm: 'hub.test',
      lockout: { failures: 3, windowMs: 60_000, lockMs: 60_000 },
    },
    log,
  );
  onTestFinished(() => hub.close());
  hub.useAccounts(async (username) => (username === 'phonghop-sonv' ? password : undefined));
  const calls: SipIncomingCall[] = [];
  hub.onIncoming((call) => {
    calls.push(call);
    call.refuse(480, 'Temporarily Unavailable');
  });
  return { hub, port, calls };
}

/** A room system's UDP socket on `address`: sends a request, and gives the first answer to it. */
async function roomSocket(hubPort: number, address: string) {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  onTestFinished(() => {
    socket.close();
  });
  const { port } = socket.address();
  let seq = 0;
  return {
    port,
    /** One request (a new transaction: its own branch and CSeq) and its final answer. */
    ask(method: 'REGISTER' | 'INVITE', options: { user?: string; authorization?: string; headers?: string[]; callId?: string } = {}) {
      seq++;
      const user = options.user ?? 'phonghop-sonv';
      const requestUri = method === 'REGISTER' ? 'sip:127.0.0.1' : 'sip:hop@127.0.0.1';
      const text = [
        `${method} ${requestUri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)};rport`,
        'Max-Forwards: 70',
        `To: <sip:${method === 'REGISTER' ? user : 'hop'}@127.0.0.1>`,
        `From: <sip:${user}@127.0.0.1>;tag=room${seq}`,
        `Call-ID: ${options.callId ?? `reg-${address}`}`,
        `CSeq: ${seq} ${method}`,
        `Contact: <sip:${user}@${address}:${port}>`,
        ...(options.authorization ? [`Authorization: ${options.authorization}`] : []),
        ...(options.headers ?? []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      return new Promise<string>((resolve) => {
        const onMessage = (message: Buffer) => {
          const answer = message.toString('latin1');
          if (Number(/^SIP\/2\.0 (\d{3})/.exec(answer)?.[1]) < 200 || !answer.includes(`CSeq: ${seq} ${method}`)) return;
          socket.off('message', onMessage);
          resolve(answer);
        };
        socket.on('message', onMessage);
        socket.send(Buffer.from(text, 'latin1'), hubPort, '127.0.0.1');
      });
    },
  };
}

const status = (answer: string) => Number(/^SIP\/2\.0 (\d{3})/.exec(answer)?.[1]);

/** The Authorization a room system answers a challenge with (RFC 2617, qop=auth), for `method` and `uri`. */
function authorization(challengeAnswer: string, method: string, uri: string, options: { secret?: string; nc?: string } = {}): string {
  const header = /^WWW-Authenticate: (.*)$/m.exec(challengeAnswer)?.[1] ?? '';
  const realm = /realm="([^"]*)"/.exec(header)![1]!;
  const nonce = /nonce="([^"]*)"/.exec(header)![1]!;
  const nc = options.nc ?? '00000001';
  const ha1 = md5(`phonghop-sonv:${realm}:${options.secret ?? password}`);
  const response = md5(`${ha1}:${nonce}:${nc}:abc123:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="phonghop-sonv", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="abc123"`;
}

describe('the hub as the registrar of its room systems (digest authentication, lockout)', () => {
  it('challenges a REGISTER, binds the room system where it registered, refreshes and removes the binding', async () => {
    const { hub, port } = await hubWithAccount();
    const room = await roomSocket(port, '127.0.0.11');
    const challenge = await room.ask('REGISTER', { headers: ['Expires: 600'] });
    expect(status(challenge)).toBe(401);
    expect(challenge).toMatch(/^WWW-Authenticate: Digest realm="hub\.test",nonce="[^"]+",algorithm=MD5,qop="auth"$/m);
    expect(hub.registrar.get('phonghop-sonv')).toBeUndefined();

    const bound = await room.ask('REGISTER', {
      authorization: authorization(challenge, 'REGISTER', 'sip:127.0.0.1'),
      headers: ['Expires: 600'],
    });
    expect(status(bound)).toBe(200);
    expect(bound).toMatch(new RegExp(`^Contact: +<sip:phonghop-sonv@127\\.0\\.0\\.11:${room.port}>;expires=600$`, 'm'));
    expect(hub.registrar.get('phonghop-sonv')).toMatchObject({
      contact: `sip:phonghop-sonv@127.0.0.11:${room.port}`,
      source: { address: '127.0.0.11', protocol: 'UDP' },
    });
    // a room system asking for too short a registration is told the least
    const brief = await room.ask('REGISTER', {
      authorization: authorization(challenge, 'REGISTER', 'sip:127.0.0.1', { nc: '00000002' }),
      headers: ['Expires: 5'],
    });
    expect(status(brief)).toBe(423);
    expect(brief).toMatch(/^Min-Expires: 60$/m);
    // Expires: 0 unregisters
    const gone = await room.ask('REGISTER', {
      authorization: authorization(challenge, 'REGISTER', 'sip:127.0.0.1', { nc: '00000003' }),
      headers: ['Expires: 0'],
    });
    expect(status(gone)).toBe(200);
    expect(hub.registrar.get('phonghop-sonv')).toBeUndefined();
  });

  it('refuses a replayed answer and a wrong password; after too many, the source is refused even with the right one, and others are not', async () => {
    const { hub, port } = await hubWithAccount();
    const room = await roomSocket(port, '127.0.0.12');
    const challenge = await room.ask('REGISTER');
    const right = authorization(challenge, 'REGISTER', 'sip:127.0.0.1');
    expect(status(await room.ask('REGISTER', { authorization: right }))).toBe(200);
    // the same answer sent again: a replay, challenged anew (failure 1)
    expect(status(await room.ask('REGISTER', { authorization: right }))).toBe(401);
    // a guesser's wrong passwords (failures 2 and 3: locked out)
    const guess = (nc: string) => authorization(challenge, 'REGISTER', 'sip:127.0.0.1', { secret: 'doan-thu', nc });
    expect(status(await room.ask('REGISTER', { authorization: guess('00000005') }))).toBe(401);
    expect(status(await room.ask('REGISTER', { authorization: guess('00000006') }))).toBe(403);
    // locked out: even the right password, and calls, are refused without a challenge
    const fresh = authorization(challenge, 'REGISTER', 'sip:127.0.0.1', { nc: '00000007' });
    expect(status(await room.ask('REGISTER', { authorization: fresh }))).toBe(403);
    expect(status(await room.ask('INVITE', { callId: 'locked-call' }))).toBe(403);
    // the room system on another address still registers
    const other = await roomSocket(port, '127.0.0.13');
    const otherChallenge = await other.ask('REGISTER');
    expect(status(await other.ask('REGISTER', { authorization: authorization(otherChallenge, 'REGISTER', 'sip:127.0.0.1') }))).toBe(200);
    expect(hub.registrar.get('phonghop-sonv')?.source.address).toBe('127.0.0.13');
  });

  it('challenges a call from an account, takes it as that account once proven, and takes a guest’s as a guest', async () => {
    const { port, calls } = await hubWithAccount();
    const room = await roomSocket(port, '127.0.0.14');
    const challenge = await room.ask('INVITE', { callId: 'call-as-room' });
    expect(status(challenge)).toBe(401);
    expect(calls).toHaveLength(0);
    await room.ask('INVITE', { callId: 'call-as-room', authorization: authorization(challenge, 'INVITE', 'sip:hop@127.0.0.1') });
    expect(calls.map((call) => call.info.account)).toEqual(['phonghop-sonv']);
    // a caller naming no account: a guest, asked for nothing here (the dial-in asks for the meeting's PIN)
    await room.ask('INVITE', { callId: 'call-as-guest', user: 'khach' });
    expect(calls.map((call) => call.info.account)).toEqual(['phonghop-sonv', undefined]);
    // credentials of an account with the wrong password: no call
    const again = await room.ask('INVITE', { callId: 'call-wrong' });
    const wrong = await room.ask('INVITE', {
      callId: 'call-wrong',
      authorization: authorization(again, 'INVITE', 'sip:hop@127.0.0.1', { secret: 'doan-thu' }),
    });
    expect(status(wrong)).toBe(401);
    expect(calls).toHaveLength(2);
  });
});
