import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { projectRoot } from '../../prisma/index.js';
import { SipEndpoint, sessionOffer, type CallEnd } from '../../sip/index.js';
import { freeUdpAndTcpPort } from '../support/freePort.js';
import { testTempDir } from '../support/tempDirs.js';

const log = { info: () => undefined, warn: () => undefined };
let endpoint: SipEndpoint;

beforeAll(async () => {
  const port = await freeUdpAndTcpPort();
  endpoint = await SipEndpoint.listen(
    { port, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', userAgent: 'province-meeting-hub' },
    log,
  );
});

afterAll(async () => {
  await endpoint.close();
});

const offer = sessionOffer({
  address: '127.0.0.1',
  sessionId: '7',
  userAgent: 'province-meeting-hub',
  lines: [
    {
      kind: 'audio',
      port: 40000,
      rtcpPort: 40001,
      srtp: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: Buffer.alloc(30, 3).toString('base64') },
    },
  ],
});

describe('a call to an MCU that asks for a session timer (RFC 4028)', () => {
  it('is refreshed by the hub with an UPDATE the MCU answers, and stays up until the hub hangs up', async () => {
    // SIPp plays the MCU: it answers with Session-Expires 90 s, refresher=uac, and needs the UPDATE before it takes the BYE
    const sippPort = await freeUdpAndTcpPort();
    const sipp = spawn(
      'sipp',
      [
        '-sf',
        path.join(projectRoot, 'test/fixtures/sip/uas-session-timer.xml'),
        '-i',
        '127.0.0.4',
        '-p',
        String(sippPort),
        '-m',
        '1',
        '-nostdin',
        '-trace_err',
      ],
      { cwd: testTempDir('hub-sipp-'), stdio: 'ignore' },
    );
    const sippDone = once(sipp, 'exit');
    // killed however the test ends, a timeout included (a `finally` would not run then)
    onTestFinished(() => {
      if (sipp.exitCode === null && sipp.signalCode === null) sipp.kill('SIGKILL');
    });

    // SIPp listens once it has started: a call placed before then is retried by the stack's own retransmissions
    const call = endpoint.call(`sip:mcu@127.0.0.4:${sippPort}`, offer, 'Hop truc tuyen');
    const ended = new Promise<CallEnd>((resolve) => call.once('ended', resolve));
    const answered = await Promise.race([once(call, 'established').then(() => 'answered' as const), ended]);
    expect(answered).toBe('answered');
    // the refresh comes at half the interval, 45 s in: waited for, with the test's own deadline
    await new Promise<void>((resolve) => call.once('refreshed', () => resolve()));
    expect(call.state).toBe('established');
    call.hangUp();
    expect(await ended).toEqual({ by: 'local' });
    // SIPp's exit code: 0 when its scenario ran to the end (the INVITE answered, the UPDATE, the BYE)
    expect((await sippDone)[0]).toBe(0);
  });
});
