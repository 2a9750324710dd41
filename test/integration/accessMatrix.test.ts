import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../shared/meetings.js';
import { clientEventSchemas } from '../../shared/protocol.js';
import { clientEventRoles } from '../../hub/realtime/eventAccess.js';
import { testTempDir } from '../support/tempDirs.js';
import { request, startTestHub, type TestHub, type TestSocket } from './helpers.js';

/** One sample account per role. */
const accountOf: Record<Role, string> = {
  ADMIN: 'admin',
  CHAIR: 'chu-toa',
  SECRETARIAT: 'thu-ky',
  SUPERVISOR: 'giam-sat',
  BRIDGE_POINT: 'xa-01',
};
/** The only routes anyone may call without signing in: signing in, health, and /metrics (its own token or loopback). */
const publicRoutes = [
  'GET /api/auth/demo',
  'POST /api/auth/login',
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
  'GET /metrics',
];
/** Routes of one meeting that every chair may read (the province's meetings are not secret among its chairs). */
const anyChairMayRead = ['GET /api/meetings/:meetingId', 'GET /api/meetings/:meetingId/actions', 'GET /api/reports/meetings/:meetingId'];
/** A valid body for each meeting route that takes one: the refusal must be about whose meeting it is, not the payload. */
const validBodies: Record<string, unknown> = {
  'PATCH /api/meetings/:meetingId': { title: 'Họp của người khác' },
  'POST /api/meetings/:meetingId/ingests': { name: 'Máy quay', kind: 'whip' },
  'PUT /api/meetings/:meetingId/program': { source: 'speaker' },
  'POST /api/meetings/:meetingId/outputs': { url: 'rtmp://127.0.0.1/live/khong-co' },
  'PUT /api/meetings/:meetingId/agenda': { items: [] },
  'PUT /api/meetings/:meetingId/minutes/draft': {
    document: {
      header: { parentBody: 'ỦY BAN NHÂN DÂN TỈNH AN GIANG', issuingBody: 'VĂN PHÒNG', number: '', place: 'An Giang', date: '2026-12-08' },
      title: 'BIÊN BẢN',
      subject: 'Họp của người khác',
      sections: [],
      signers: { secretary: '', chair: '' },
    },
  },
};
/** A valid query for the meeting routes that need one, for the same reason. */
const validQueries: Record<string, string> = {
  'POST /api/meetings/:meetingId/agenda/:itemId/documents': '?fileName=tai-lieu.pdf',
  'GET /api/meetings/:meetingId/minutes/:version/export': '?format=pdf',
};
/** Allowed callers are not sent these for real: the probe would go out on the network. */
const notCalledWhenAllowed = new Set(['POST /api/cameras/discover']);
/** Path parameters that name nothing, so an allowed call changes nothing. */
const placeholders: Record<string, string> = {
  meetingId: 'khong-co',
  cameraId: '999999',
  username: 'khong-co',
  code: 'KHONG-CO',
  lockId: '999999',
  bookmarkId: '999999',
  name: '0.ts',
  sha256: '0'.repeat(64),
  ingestId: '00000000',
  callerId: '00000000',
  outputId: '00000000',
  recordingId: '000000000000',
  itemId: '999999',
  documentId: '999999',
  version: '1',
  sessionId: '00000000-0000-4000-8000-000000000000',
};

describe('role × route and role × event access, generated from the route table and the protocol', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // recording on: its routes are in the table too
    // a fresh session per route and role: more sign-ins a minute than an address may make
    hub = await startTestHub({ recording: { directory: testTempDir('hub-recordings-') }, loginRequestsPerMinute: 10_000 });
  });
  afterAll(async () => hub.close());

  it('has a rule for every route, and only sign-in, health and metrics are public', () => {
    const table = hub.app.routes;
    expect(table.length).toBeGreaterThan(25);
    expect(
      table
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual([...publicRoutes].sort());
  });

  it('answers 401 without a session, 403 to roles without the right, and lets the right roles through', async () => {
    const refusals: string[] = [];
    for (const route of hub.app.routes) {
      const name = `${route.method} ${route.url}`;
      const url = route.url.replace(/:(\w+)/g, (_, param: string) => placeholders[param] ?? 'x');
      const call = async (token?: string) =>
        (await hub.api(route.method, url, { token, body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} })).status;
      const anonymous = await call();
      if (route.access === 'public') {
        if (anonymous === 401 || anonymous === 403) refusals.push(`${name}: public but ${anonymous}`);
        continue;
      }
      // an encoder's route (WHIP): its feed's own token, which no account's session is (404: the placeholder feed does not exist)
      if (route.access === 'ingestToken') {
        for (const status of [anonymous, await call(await freshToken(hub, accountOf.ADMIN))])
          if (status !== 401 && status !== 404) refusals.push(`${name}: ${status} without the feed's token`);
        continue;
      }
      if (anonymous !== 401) refusals.push(`${name}: ${anonymous} without a session`);
      for (const role of roles) {
        const allowed = route.access === 'signedIn' || route.access.includes(role);
        if (allowed && notCalledWhenAllowed.has(name)) continue;
        // a fresh session each time: an allowed logout ends its own
        const status = await call(await freshToken(hub, accountOf[role]));
        if (allowed ? status === 401 || status === 403 : status !== 403) refusals.push(`${name} as ${role}: ${status}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('refuses another chair every route of a meeting it does not chair', async () => {
    const admin = await freshToken(hub, accountOf.ADMIN);
    const created = await hub.api<{ temporaryPassword: string }>('POST', '/api/users', {
      token: admin,
      body: { username: 'chu-toa-2', displayName: 'Phó Chủ tịch', role: 'CHAIR', bridgePointCode: 'UBND-TINH' },
    });
    expect(created.status).toBe(201);
    const first = await hub.api<{ token: string }>('POST', '/api/auth/login', {
      body: { username: 'chu-toa-2', password: created.body.temporaryPassword },
    });
    const newPassword = 'mat-khau-moi-2026';
    const changed = await hub.api('POST', '/api/auth/password', {
      token: first.body.token,
      body: { currentPassword: created.body.temporaryPassword, newPassword },
    });
    expect(changed.status).toBe(204);
    const signedIn = await hub.api<{ token: string }>('POST', '/api/auth/login', {
      body: { username: 'chu-toa-2', password: newPassword },
    });
    const otherChair = signedIn.body.token;
    const meeting = await hub.createMeeting(['SO-NV']);
    const open = new Set(anyChairMayRead);
    const letThrough: string[] = [];
    for (const route of hub.app.routes) {
      const name = `${route.method} ${route.url}`;
      if (!route.url.includes(':meetingId') || route.access === 'public' || route.access === 'ingestToken') continue;
      if (route.access !== 'signedIn' && !route.access.includes('CHAIR')) continue;
      const url =
        route.url.replace(/:(\w+)/g, (_, param: string) => (param === 'meetingId' ? meeting.id : (placeholders[param] ?? 'x'))) +
        (validQueries[name] ?? '');
      const { status, body } = await hub.api(route.method, url, {
        token: otherChair,
        body: route.method === 'GET' || route.method === 'DELETE' ? undefined : (validBodies[name] ?? {}),
      });
      if (open.has(name) ? status === 403 : status !== 403) letThrough.push(`${name}: ${status} ${JSON.stringify(body)}`);
    }
    expect(letThrough).toEqual([]);
  });

  it('refuses every event to the roles the protocol does not name, before reading its payload', async () => {
    expect(Object.keys(clientEventRoles).sort()).toEqual(Object.keys(clientEventSchemas).sort());
    const wrong: string[] = [];
    for (const role of roles) {
      const socket: TestSocket = await hub.connect(accountOf[role]);
      for (const event of Object.keys(clientEventSchemas) as Array<keyof typeof clientEventSchemas>) {
        const answer = await request(socket, event, { not: 'a valid payload' });
        const refusedForRole = !answer.ok && answer.error.code === 'FORBIDDEN' && answer.error.messageKey === 'access.needsRole';
        const allowed = (clientEventRoles[event] as readonly Role[]).includes(role);
        if (allowed === refusedForRole) wrong.push(`${event} as ${role}: ${JSON.stringify(answer)}`);
      }
      socket.close();
    }
    expect(wrong).toEqual([]);
  });
});

async function freshToken(hub: TestHub, username: string): Promise<string> {
  const { body } = await hub.api<{ token: string }>('POST', '/api/auth/login', { body: { username, password: 'hop-truc-tuyen' } });
  return body.token;
}
