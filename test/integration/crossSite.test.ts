import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSamplePassword } from '../../prisma/index.js';
import { startTestHub, type TestHub } from './helpers.js';

/**
 * The session cookie goes with any page's request to the hub: a change (POST, PUT, PATCH, DELETE) made with it
 * must come from the hub's own pages (Fetch Metadata, else the Origin). A shaped request from another site is
 * refused before it does anything; reading, and API clients with a bearer token, are not concerned.
 */
describe('changes made with the session cookie from another site', () => {
  let hub: TestHub;
  let cookie: string;
  beforeAll(async () => {
    hub = await startTestHub();
    const signedIn = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chu-toa', password: defaultSamplePassword, cookie: true }),
    });
    cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => hub.close());

  const startMeeting = async (meetingId: string, headers: Record<string, string>) =>
    (await fetch(`${hub.url}/api/meetings/${meetingId}/start`, { method: 'POST', headers: { cookie, ...headers } })).status;

  it('are refused; the hub’s own pages and API clients go on', async () => {
    const meeting = await hub.createMeeting(['SO-NV']);
    const status = async () =>
      (await hub.api<{ status: string }>('GET', `/api/meetings/${meeting.id}`, { token: await hub.login('chu-toa') })).body.status;
    expect(await startMeeting(meeting.id, { 'sec-fetch-site': 'cross-site', origin: 'https://trang-la.example' })).toBe(403);
    expect(await startMeeting(meeting.id, { 'sec-fetch-site': 'same-site' })).toBe(403);
    expect(await startMeeting(meeting.id, { origin: 'https://trang-la.example' })).toBe(403);
    expect(await status()).toBe('SCHEDULED');
    // reading with the cookie from anywhere is what SameSite and CORS already govern
    expect((await fetch(`${hub.url}/api/meetings/${meeting.id}`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status).toBe(
      200,
    );
    // the hub's own page
    expect(await startMeeting(meeting.id, { 'sec-fetch-site': 'same-origin', origin: hub.url })).toBe(200);
    expect(await status()).toBe('LIVE');
  });
});
