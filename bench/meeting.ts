import { hubRequest } from './hubRequest.js';
import { signIn } from './signIn.js';

/** The sample chair schedules a meeting of UBND-TINH with every site of `codes` on a running hub and starts it. */
export async function startMeeting(base: string, codes: string[], title: string): Promise<string> {
  const { token } = await signIn(base, 'chu-toa');
  const post = <T>(path: string, body: unknown) => hubRequest<T>(base, token, 'POST', path, body);
  const now = Date.now();
  const meeting = await post<{ id: string }>('/api/meetings', {
    title,
    hostLevel: 'PROVINCIAL',
    scheduledStart: new Date(now).toISOString(),
    scheduledEnd: new Date(now + 3_600_000).toISOString(),
    invitedCodes: codes,
  });
  await post(`/api/meetings/${meeting.id}/start`, {});
  return meeting.id;
}
