import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSamplePassword } from '../../prisma/index.js';
import { startTestHub, type TestHub } from './helpers.js';

/**
 * Behind the province's balancer (TRUSTED_PROXIES: loopback here), each client is known by its own address
 * (X-Forwarded-For): failures aimed at the chair's account from one place block that place, not the chair;
 * a wrong current password counts as a failed sign-in; /metrics never answers through the proxy without
 * its token; a weak new password is refused, in Vietnamese.
 */
describe('lockouts an attacker cannot aim', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      trustedProxies: ['127.0.0.1'],
      loginThrottle: { failuresPerAccount: 3, failuresPerAddress: 20, blockSeconds: 60 },
    });
  });
  afterAll(async () => hub.close());

  /** A request as the balancer passes it on, from the client at `client`. */
  const from = (client: string, method: string, route: string, body?: unknown, token?: string) =>
    fetch(`${hub.url}${route}`, {
      method,
      headers: {
        'x-forwarded-for': client,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = (client: string, username: string, password: string) => from(client, 'POST', '/api/auth/login', { username, password });

  it('blocks the address that tried the chair’s password, not the chair at the province office', async () => {
    for (const guess of ['sai-1', 'sai-2', 'sai-3']) expect((await signIn('10.9.9.66', 'chu-toa', guess)).status).toBe(401);
    expect((await signIn('10.9.9.66', 'chu-toa', defaultSamplePassword)).status).toBe(429);
    // the chair, at the office
    expect((await signIn('10.20.0.10', 'chu-toa', defaultSamplePassword)).status).toBe(200);
  });

  it('counts a wrong current password as a failed sign-in, and refuses weak new passwords', async () => {
    const { token } = (await (await signIn('10.20.0.21', 'so-nv', defaultSamplePassword)).json()) as { token: string };
    const change = (client: string, currentPassword: string, newPassword: string) =>
      from(client, 'POST', '/api/auth/password', { currentPassword, newPassword }, token);
    for (const newPassword of ['aaaaaaaaaa', 'ababababab', '1234567890', 'MatKhau123']) {
      const refused = await change('10.20.0.21', defaultSamplePassword, newPassword);
      expect({ newPassword, status: refused.status, message: ((await refused.json()) as { message: string }).message }).toEqual({
        newPassword,
        status: 400,
        message: expect.stringMatching(/^Mật khẩu (quá đơn giản|này quá phổ biến)/) as string,
      });
    }
    // from a stolen session elsewhere: three guesses of the current password, then no more tries, right or not
    for (const guess of ['doan-1', 'doan-2', 'doan-3']) expect((await change('10.9.9.77', guess, 'Cau-chuyen-dai-2026')).status).toBe(400);
    const blocked = await change('10.9.9.77', defaultSamplePassword, 'Cau-chuyen-dai-2026');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers /metrics without a token only on this machine, never through the proxy', async () => {
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(200);
    expect((await from('10.9.9.66', 'GET', '/metrics')).status).toBe(403);
    expect((await fetch(`${hub.url}/metrics`, { headers: { via: '1.1 haproxy' } })).status).toBe(403);
  });
});
