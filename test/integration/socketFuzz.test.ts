import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEventSchemas } from '../../shared/protocol.js';
import { joinAndProduce, opusParameters, request, startTestHub, vp8Parameters, type TestHub, type TestSocket } from './helpers.js';

/** mulberry32: the same hostile frames on every run, so a failure can be replayed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const eventNames = [
  ...Object.keys(clientEventSchemas),
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'meeting:explode',
  '',
  'error',
  'x'.repeat(300),
];

/** A hostile payload: wrong types, prototype keys, deep nesting, long strings, odd numbers, made-up ids. */
function hostilePayload(random: () => number, depth = 0): unknown {
  const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)]!;
  switch (Math.floor(random() * 12)) {
    case 0:
      return null;
    case 1:
      return pick([NaN, -1, 1e308, -0, 2 ** 53 + 1, 0.5, Infinity]);
    case 2:
      return 'A'.repeat(Math.floor(random() * 70_000));
    case 3:
      return pick(['', '../../etc/passwd', '<script>alert(1)</script>', '\u0000', 'DROP TABLE "User";', '{{7*7}}', '%s%s%n']);
    case 4:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    case 5:
      return depth > 6 ? {} : { nested: hostilePayload(random, depth + 1), again: hostilePayload(random, depth + 1) };
    case 6:
      return depth > 6 ? [] : Array.from({ length: Math.floor(random() * 5) }, () => hostilePayload(random, depth + 1));
    case 7:
      return { meetingId: pick(['hop', 'a'.repeat(64), 'Phòng họp', '../x']), bridgePointCode: pick(['SO-NV', 'UBND-TINH', '']) };
    case 8:
      return { transportId: crypto.randomUUID(), producerId: crypto.randomUUID(), consumerId: crypto.randomUUID(), direction: 'send' };
    case 9:
      return { rtpCapabilities: { codecs: [{ mimeType: 'video/../../x', clockRate: -1 }] }, dtlsParameters: { fingerprints: [] } };
    case 10:
      return { cameraId: pick([-1, 0, 1, 2 ** 31, 1.5]), profile: pick(['main', 'sub', 'all']), x: 9, presetToken: 'p' };
    default:
      return true;
  }
}

describe('a socket fuzz: thousands of hostile frames', () => {
  let hub: TestHub;
  let meetingId: string;
  const secrets = new Set<string>();
  let sites: TestSocket[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    const meeting = await hub.createMeeting(['SO-NV', 'SO-TC']);
    meetingId = meeting.id;
    await hub.api('POST', `/api/meetings/${meetingId}/start`, { token: await hub.login('chu-toa') });
    // a live meeting whose ids an attacker must never see
    for (const [code, produce] of [
      ['so-nv', (s: TestSocket) => joinAndProduce(s, meetingId, 'camera', vp8Parameters(1111))],
      ['so-tc', (s: TestSocket) => joinAndProduce(s, meetingId, 'microphone', opusParameters(2222))],
    ] as const) {
      const socket = await hub.connect(code);
      const { producerId, peerId } = await produce(socket);
      secrets.add(producerId).add(peerId);
      sites.push(socket);
    }
    secrets.add(meetingId);
  });
  afterAll(async () => {
    sites = [];
    await hub.close();
  });

  it('answers or drops every frame, stays up, and leaks none of a meeting’s ids', async () => {
    const random = prng(20261202);
    const heard: string[] = [];
    const attackers: TestSocket[] = [];
    // every role, none of them in the meeting
    for (const username of ['xa-09', 'thu-ky', 'giam-sat', 'admin', 'chu-toa']) {
      const socket = await hub.connect(username);
      socket.onAny((event: string, ...args: unknown[]) => heard.push(JSON.stringify([event, ...args])));
      attackers.push(socket);
    }
    let sent = 0;
    let answered = 0;
    const unanswered = new Set<string>();
    for (let round = 0; round < 100; round++) {
      const batch: Array<Promise<unknown>> = [];
      for (const socket of attackers) {
        for (let i = 0; i < 10; i++) {
          const event = eventNames[Math.floor(random() * eventNames.length)]!;
          const payload = hostilePayload(random);
          sent++;
          if (random() < 0.2) {
            // no acknowledgement callback: dropped (and the warning about it rate-limited)
            (socket as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
            continue;
          }
          batch.push(
            request(socket, event as never, payload).then(
              (answer) => {
                answered++;
                heard.push(JSON.stringify(answer));
              },
              () => unanswered.add(event),
            ),
          );
        }
      }
      // the meeting goes on meanwhile: its state and media events must reach its own sites only
      batch.push(request(sites[1]!, 'hand:raise', { raised: round % 2 === 0 }));
      await Promise.all(batch);
    }
    expect(sent).toBe(5000);
    // every frame with a callback is answered, prototype names and unknown events included
    expect([...unanswered]).toEqual([]);
    expect(answered).toBeGreaterThan(3500);
    // raw engine.io frames that are not socket.io packets at all
    const token = await hub.login('xa-10');
    for (let i = 0; i < 10; i++) {
      const raw = new WebSocket(`${hub.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
      await new Promise<void>((resolve) => {
        raw.onmessage = (message) => {
          heard.push(String(message.data));
          if (String(message.data).startsWith('0')) {
            raw.send(`40${JSON.stringify({ token })}`);
            for (const frame of [
              '42[',
              '4',
              '42["meeting:join",{"meetingId":',
              '4{}',
              '2probe',
              '6',
              '42[1,2,3]',
              '43999[]',
              '42["disconnect"]',
              '42["connect"]',
              '\u0000\u0001',
            ])
              raw.send(frame);
            raw.send(`42${JSON.stringify(['meeting:join', { meetingId: 'x'.repeat(500) }])}`);
          }
        };
        raw.onclose = () => resolve();
        raw.onerror = () => resolve();
        setTimeout(() => {
          raw.close();
          resolve();
        }, 1000);
      });
    }
    for (const text of heard) for (const secret of secrets) expect(text, 'an attacker heard a meeting id').not.toContain(secret);
    expect(heard.join('\n')).not.toMatch(/at .+\.(ts|js):\d+/);

    // the hub still serves: the meeting's sites are there, answer, and a new site joins
    for (const site of sites) expect(site.connected).toBe(true);
    expect((await request(sites[0]!, 'producer:pause', { producerId: [...secrets][0]! })).ok).toBe(true);
    expect((await hub.api('GET', '/api/health')).status).toBe(200);
    const chair = await hub.connect('chu-toa');
    expect((await request(chair, 'meeting:join', { meetingId })).data).toMatchObject({ admitted: true, isChair: true });
    for (const socket of attackers) socket.close();
  });
});
