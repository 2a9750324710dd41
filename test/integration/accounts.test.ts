import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSamplePassword, disableSamplePasswordAccounts, hashPassword } from '../../prisma/index.js';
import type { AccountDto, TemporaryPasswordDto } from '../../shared/accounts.js';
import { sessionCookieName } from '../../hub/index.js';
import { nextEvent, request, startTestHub, type TestHub, type TestSocket } from './helpers.js';

const samplePassword = 'hop-truc-tuyen';

/** A socket signed in with a bearer token, the session cookie or nothing, from an optional Origin. */
function openSocket(url: string, options: { token?: string; cookie?: string; origin?: string }): Promise<TestSocket> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = `${sessionCookieName}=${options.cookie}`;
  if (options.origin) headers.origin = options.origin;
  const socket: TestSocket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: headers,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const disconnected = (socket: TestSocket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

describe('accounts and sessions', () => {
  let hub: TestHub;
  let admin: string;
  const sockets: TestSocket[] = [];
  const track = (socket: TestSocket) => {
    sockets.push(socket);
    return socket;
  };
  const signIn = async (username: string, password = samplePassword) =>
    hub.api<{ token: string; user: { mustChangePassword: boolean }; message?: string }>('POST', '/api/auth/login', {
      body: { username, password },
    });

  beforeAll(async () => {
    hub = await startTestHub();
    admin = await hub.login('admin');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await hub.close();
  });

  it('signs the browser in with a Secure, HttpOnly, SameSite=Strict cookie and no token in the answer; the cookie opens REST and sockets', async () => {
    const answer = await hub.api('POST', '/api/auth/login', { body: { username: 'xa-02', password: samplePassword, cookie: true } });
    expect(answer.status).toBe(200);
    expect(answer.body.token).toBeUndefined();
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${sessionCookieName}=[A-Za-z0-9_-]{43};`));
    for (const attribute of ['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']) expect(setCookie).toContain(attribute);
    const cookie = /=([^;]+);/.exec(setCookie)![1]!;
    const me = await fetch(`${hub.url}/api/auth/me`, { headers: { cookie: `${sessionCookieName}=${cookie}` } });
    expect(((await me.json()) as { username: string }).username).toBe('xa-02');
    const socket = track(await openSocket(hub.url, { cookie }));
    expect(socket.connected).toBe(true);
    // logout clears the cookie and disconnects the socket at once, telling it why
    const told = nextEvent(socket, 'auth:signedOut');
    const gone = disconnected(socket);
    const logout = await fetch(`${hub.url}/api/auth/logout`, { method: 'POST', headers: { cookie: `${sessionCookieName}=${cookie}` } });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(new RegExp(`^${sessionCookieName}=;`));
    expect(await told).toEqual({ reason: 'logout' });
    expect(await gone).toBe('io server disconnect');
    await expect(openSocket(hub.url, { cookie })).rejects.toThrow('UNAUTHENTICATED');
  });

  it('refuses a socket handshake from another site’s page, and accepts the hub’s own origin', async () => {
    const token = await hub.login('xa-03');
    await expect(openSocket(hub.url, { token, origin: 'https://evil.example' })).rejects.toThrow();
    track(await openSocket(hub.url, { token, origin: hub.url }));
  });

  it('caps the connections one account holds', async () => {
    const token = await hub.login('xa-04');
    for (let i = 0; i < 16; i++) track(await openSocket(hub.url, { token }));
    await expect(openSocket(hub.url, { token })).rejects.toThrow('TOO_MANY_CONNECTIONS');
  });

  it('an admin creates an account with a one-time password that must be changed before anything else; every step audited', async () => {
    const created = await hub.api('POST', '/api/users', {
      token: admin,
      body: { username: 'van-thu-xa-05', displayName: 'Văn thư xã 05', role: 'BRIDGE_POINT', bridgePointCode: 'XA-05' },
    });
    expect(created.status).toBe(201);
    expect(created.body.account).toMatchObject({ username: 'van-thu-xa-05', mustChangePassword: true, disabled: false });
    const temporary = created.body.temporaryPassword as string;
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const first = await signIn('van-thu-xa-05', temporary);
    expect(first.body.user.mustChangePassword).toBe(true);
    const token = first.body.token;
    const blocked = await hub.api('GET', '/api/meetings', { token });
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ messageKey: 'access.passwordChangeRequired', message: 'Hãy đổi mật khẩu trước khi tiếp tục.' });
    await expect(openSocket(hub.url, { token })).rejects.toThrow('PASSWORD_CHANGE_REQUIRED');
    // the rules: not the username, not the sample password, at least 10 characters
    for (const [newPassword, reason] of [
      ['van-thu-xa-05-2026', /^Mật khẩu không được chứa tên đăng nhập\.$/],
      [samplePassword, /^Đây là mật khẩu mẫu ai cũng biết/],
      ['ngan', /^Mật khẩu mới: cần ít nhất 10 ký tự$/],
    ] as const) {
      const refused = await hub.api('POST', '/api/auth/password', { token, body: { currentPassword: temporary, newPassword } });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(reason);
    }
    expect(
      (
        await hub.api('POST', '/api/auth/password', {
          token,
          body: { currentPassword: 'sai-mat-khau', newPassword: 'Cau-chuyen-dai-2026' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await hub.api('POST', '/api/auth/password', { token, body: { currentPassword: temporary, newPassword: 'Cau-chuyen-dai-2026' } }))
        .status,
    ).toBe(204);
    expect((await hub.api('GET', '/api/meetings', { token })).status).toBe(200);
    expect((await signIn('van-thu-xa-05', temporary)).status).toBe(401);
    expect((await signIn('van-thu-xa-05', 'Cau-chuyen-dai-2026')).status).toBe(200);
    const trail = await hub.api('GET', '/api/audit?target=user:van-thu-xa-05', { token: admin });
    expect(trail.body.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`)).toEqual([
      'van-thu-xa-05 password.change',
      'admin user.create',
    ]);
    expect(JSON.stringify(trail.body)).not.toContain(temporary);
  });

  it('disabling an account or resetting its password ends its sessions and disconnects its sockets at once', async () => {
    const token = await hub.login('xa-06');
    const socket = track(await openSocket(hub.url, { token }));
    let told = nextEvent(socket, 'auth:signedOut');
    let gone = disconnected(socket);
    expect((await hub.api('PATCH', '/api/users/xa-06', { token: admin, body: { disabled: true } })).body.disabled).toBe(true);
    expect(await told).toEqual({ reason: 'disabled' });
    expect(await gone).toBe('io server disconnect');
    expect((await hub.api('GET', '/api/auth/me', { token })).status).toBe(401);
    const refused = await signIn('xa-06');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Tài khoản này đã bị vô hiệu hóa: hãy liên hệ quản trị viên.');
    expect((await hub.api('PATCH', '/api/users/xa-06', { token: admin, body: { disabled: false } })).body.disabled).toBe(false);

    const again = (await signIn('xa-06')).body.token;
    const second = track(await openSocket(hub.url, { token: again }));
    told = nextEvent(second, 'auth:signedOut');
    gone = disconnected(second);
    const reset = await hub.api('POST', '/api/users/xa-06/reset-password', { token: admin });
    expect(reset.status).toBe(200);
    expect(await told).toEqual({ reason: 'passwordReset' });
    await gone;
    expect((await signIn('xa-06')).status).toBe(401);
    expect((await signIn('xa-06', reset.body.temporaryPassword)).body.user.mustChangePassword).toBe(true);
    const actions = (await hub.api('GET', '/api/audit?target=user:xa-06', { token: admin })).body.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['user.resetPassword', 'user.update', 'user.update']);
  });

  it('a new role or site takes effect at once: the account signs in again', async () => {
    const socket = track(await openSocket(hub.url, { token: await hub.login('xa-07') }));
    const told = nextEvent(socket, 'auth:signedOut');
    const moved = await hub.api('PATCH', '/api/users/xa-07', { token: admin, body: { bridgePointCode: 'XA-08' } });
    expect(moved.body).toMatchObject({ username: 'xa-07', bridgePointCode: 'XA-08' });
    expect(await told).toEqual({ reason: 'accountChanged' });
    expect((await signIn('xa-07')).body.user).toMatchObject({ bridgePointCode: 'XA-08' });
  });

  it('keeps an admin from locking themselves out, and refuses bad account requests with a reason', async () => {
    expect((await hub.api('PATCH', '/api/users/admin', { token: admin, body: { disabled: true } })).status).toBe(409);
    expect((await hub.api('PATCH', '/api/users/admin', { token: admin, body: { role: 'CHAIR' } })).status).toBe(409);
    const taken = await hub.api('POST', '/api/users', {
      token: admin,
      body: { username: 'xa-01', displayName: 'Trùng', role: 'SECRETARIAT' },
    });
    expect(taken.status).toBe(409);
    const noSite = await hub.api('POST', '/api/users', {
      token: admin,
      body: { username: 'diem-cau-moi', displayName: 'Điểm cầu', role: 'BRIDGE_POINT' },
    });
    expect(noSite.status).toBe(400);
    expect(noSite.body.message).toBe('Tài khoản điểm cầu cần chọn điểm cầu của nó.');
    expect((await hub.api('PATCH', '/api/users/khong-co', { token: admin, body: { disabled: true } })).status).toBe(404);
    expect((await hub.api('GET', '/api/users', { token: await hub.login('chu-toa') })).status).toBe(403);
  });

  it('answers a signed-in socket’s event only for the roles the protocol allows', async () => {
    const secretariat = track(await openSocket(hub.url, { token: await hub.login('thu-ky') }));
    const refused = await request(secretariat, 'wall:join', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('session expiry', () => {
  let hub: TestHub;
  afterAll(async () => hub.close());

  it('ends a session idle too long, keeps one whose socket is connected, and ends every session at its absolute expiry', async () => {
    // the idle limit far inside the absolute one, so the connected session is checked before its absolute end however busy the machine
    hub = await startTestHub({ sessions: { idleMs: 1500, absoluteMs: 10_000, sweepIntervalMs: 250 } });
    const idle = await hub.login('xa-01');
    const connected = await hub.login('xa-02');
    const socket = await openSocket(hub.url, { token: connected });
    const told = nextEvent(socket, 'auth:signedOut', () => true);
    await expect.poll(async () => (await hub.api('GET', '/api/auth/me', { token: idle })).status).toBe(401);
    expect((await hub.api('GET', '/api/auth/me', { token: connected })).status).toBe(200);
    expect(await told).toEqual({ reason: 'expired' });
    expect(socket.connected).toBe(false);
    expect((await hub.api('GET', '/api/auth/me', { token: connected })).status).toBe(401);
    // purged, not just refused
    expect(await hub.database.prisma.authSession.count({ where: { user: { username: { in: ['xa-01', 'xa-02'] } } } })).toBe(0);
    socket.close();
  });
});

describe('login throttle', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ loginThrottle: { failuresPerAccount: 3, failuresPerAddress: 6, blockSeconds: 60 } });
  });
  afterAll(async () => hub.close());
  const attempt = (username: string, password: string) => hub.api('POST', '/api/auth/login', { body: { username, password } });

  it('blocks an account after its failures, right password or not, and says when to retry; a success resets the count', async () => {
    await attempt('so-nv', 'sai-1');
    await attempt('so-nv', 'sai-2');
    expect((await attempt('so-nv', samplePassword)).status).toBe(200);
    for (const guess of ['sai-3', 'sai-4', 'sai-5']) expect((await attempt('so-nv', guess)).status).toBe(401);
    const blocked = await attempt('so-nv', samplePassword);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(blocked.body.message).toMatch(/^Đăng nhập sai quá nhiều lần: thử lại sau \d+ giây\.$/);
  });

  it('blocks an address after failures spread over accounts', async () => {
    // so-nv's five failures above count for this address too: one more, on another account, reaches six
    expect((await attempt('so-tc', 'sai')).status).toBe(401);
    expect((await attempt('so-yt', samplePassword)).status).toBe(429);
    expect((await attempt('khong-co', 'sai')).status).toBe(429);
  });
});

describe('a hub that goes from sample use to real use', () => {
  let hub: TestHub;
  afterAll(async () => hub.close());

  it('enables again, at its password reset, an account disabled for its sample password; one an admin disabled stays disabled', async () => {
    hub = await startTestHub();
    const prisma = hub.database.prisma;
    // the admin already has a password of its own; every other account still has the sample one
    await prisma.user.update({ where: { username: 'admin' }, data: { passwordHash: await hashPassword('Quan-tri-rieng-2026') } });
    const disabled = await disableSamplePasswordAccounts(prisma, [defaultSamplePassword]);
    expect(disabled).toContain('xa-01');
    const signedIn = await hub.api<{ token: string }>('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'Quan-tri-rieng-2026' },
    });
    const admin = signedIn.body.token;
    const account = async (username: string) =>
      (await hub.api<AccountDto[]>('GET', '/api/users', { token: admin })).body.find((a) => a.username === username)!;
    expect(await account('xa-01')).toMatchObject({ disabled: true, disabledReason: 'SAMPLE_PASSWORD' });

    // an admin disables xa-02 on purpose: that reason wins over the sample password's
    expect((await hub.api('PATCH', '/api/users/xa-02', { token: admin, body: { disabled: false } })).status).toBe(200);
    expect((await hub.api('PATCH', '/api/users/xa-02', { token: admin, body: { disabled: true } })).status).toBe(200);
    expect(await account('xa-02')).toMatchObject({ disabled: true, disabledReason: 'ADMIN' });

    const reset = await hub.api<TemporaryPasswordDto>('POST', '/api/users/xa-01/reset-password', { token: admin });
    expect(reset.body.account).toMatchObject({ disabled: false, disabledReason: null, mustChangePassword: true });
    const login = await hub.api('POST', '/api/auth/login', { body: { username: 'xa-01', password: reset.body.temporaryPassword } });
    expect(login.status).toBe(200);
    const kept = await hub.api<TemporaryPasswordDto>('POST', '/api/users/xa-02/reset-password', { token: admin });
    expect(kept.body.account).toMatchObject({ disabled: true, disabledReason: 'ADMIN' });
    // audited: the reset that enabled the account says so
    const audit = await prisma.auditEntry.findMany({ where: { target: 'user:xa-01', action: 'user.resetPassword' } });
    expect(audit.map((entry) => JSON.parse(entry.detail ?? 'null'))).toEqual([{ enabled: true }]);
  });
});
