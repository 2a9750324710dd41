import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CameraUnreachableError, EvidenceLockNotYoursError } from '../../camera-gateway/index.js';
import { NodeUnreachableError } from '../../cluster/index.js';
import { HubError } from '../../errors/index.js';
import { NoLiveWorkerError } from '../../media-server/index.js';
import { httpErrorHandler } from '../../hub/http/httpErrors.js';
import { IngestError } from '../../hub/ingest/IngestError.js';
import { MeetingRuleError } from '../../hub/meetings/meetingRules.js';
import { ProgramError } from '../../hub/program/ProgramError.js';
import { SignallingError, toAckError } from '../../hub/realtime/validation.js';
import { renderMessage, said } from '../../shared/messages/index.js';

describe('the hub’s errors: one base, one table', () => {
  it('every named error of the server extends HubError', () => {
    // the server's sources as git knows them: the list is derived, not kept
    const files = execFileSync('git', ['ls-files', '*.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter((file) => file && !/^(test|bench|client|node_modules)\//.test(file) && !file.endsWith('.d.ts'));
    const parents = new Map<string, string>();
    for (const file of files)
      for (const [, name, parent] of fs.readFileSync(file, 'utf8').matchAll(/class (\w+Error) extends (\w+)/g)) parents.set(name!, parent!);
    expect(parents.size).toBeGreaterThan(25);
    const rootOf = (name: string): string => (name !== 'HubError' && parents.has(name) ? rootOf(parents.get(name)!) : name);
    expect(parents.get('HubError')).toBe('Error');
    expect([...parents.keys()].filter((name) => rootOf(name) !== 'HubError')).toEqual([]);
  });

  it('answers a socket by the kind, with a finer code where the error names one, and hides internal messages', () => {
    const ack = (error: unknown) => toAckError(error);
    const internal = { code: 'INTERNAL', message: renderMessage(said('code.INTERNAL')), messageKey: 'code.INTERNAL' };
    expect(ack(new MeetingRuleError('INVALID', 'meeting.endBeforeStart'))).toEqual({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: 'Giờ kết thúc phải sau giờ bắt đầu.', messageKey: 'meeting.endBeforeStart' },
    });
    expect(ack(new MeetingRuleError('CONFLICT', 'meeting.ended'))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ack(new SignallingError('MEETING_LOCKED', 'meeting.locked'))).toMatchObject({
      ok: false,
      error: { code: 'MEETING_LOCKED', message: 'Cuộc họp đã khóa: không nhận thêm điểm cầu mới.' },
    });
    expect(ack(new SignallingError('NOT_INVITED', said('meeting.notInvited', { code: 'XA-03' })))).toEqual({
      ok: false,
      error: {
        code: 'NOT_INVITED',
        message: 'Điểm cầu XA-03 không được mời vào cuộc họp này.',
        messageKey: 'meeting.notInvited',
        messageParams: { code: 'XA-03' },
      },
    });
    expect(ack(new NoLiveWorkerError())).toMatchObject({ ok: false, error: { code: 'MEDIA_ERROR' } });
    expect(ack(new NodeUnreachableError('node2', 'http://10.0.0.12:3000 refused'))).toEqual({ ok: false, error: internal });
    expect(ack(new Error('bí mật'))).toEqual({ ok: false, error: internal });
  });

  it('answers REST by the kind: status, reason, message and headers; an internal error says no more', async () => {
    const app = Fastify();
    app.setErrorHandler(httpErrorHandler);
    const errors: Record<string, () => Error> = {
      meeting: () => new MeetingRuleError('CONFLICT', 'meeting.ended'),
      whip: () => new IngestError('NOT_LIVE', 'ingest.notLive'),
      disk: () => new ProgramError('INSUFFICIENT_STORAGE', 'program.diskFull'),
      lock: () => new EvidenceLockNotYoursError('giam-sat-vp'),
      camera: () => new CameraUnreachableError('10.0.0.5', 'unreachable', 'device said: 500 secret'),
      cluster: () => new NodeUnreachableError('node2', 'refused'),
      plain: () => new Error('stack'),
    };
    for (const [name, make] of Object.entries(errors))
      app.get(`/${name}`, () => {
        throw make();
      });
    const answer = async (name: string) => {
      const response = await app.inject({ method: 'GET', url: `/${name}` });
      return { status: response.statusCode, body: response.json<unknown>(), retryAfter: response.headers['retry-after'] };
    };
    expect(await answer('meeting')).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'Cuộc họp đã kết thúc.', messageKey: 'meeting.ended' },
      retryAfter: undefined,
    });
    expect(await answer('whip')).toMatchObject({ status: 503, body: { error: 'Service Unavailable' }, retryAfter: '10' });
    expect(await answer('disk')).toMatchObject({ status: 507, body: { error: 'Insufficient Storage', messageKey: 'program.diskFull' } });
    expect(await answer('lock')).toMatchObject({ status: 403 });
    expect(await answer('camera')).toMatchObject({
      status: 502,
      body: { message: 'Camera 10.0.0.5 không trả lời ONVIF: kiểm tra địa chỉ, nguồn điện và mạng của camera.' },
    });
    expect(JSON.stringify(await answer('camera'))).not.toContain('secret');
    for (const name of ['cluster', 'plain'])
      expect(await answer(name)).toMatchObject({ status: 500, body: { error: 'Internal Server Error', messageKey: 'access.internal' } });
    await app.close();
    expect(new HubError('THROTTLED', 'code.RATE_LIMITED').http.status).toBe(429);
  });
});
