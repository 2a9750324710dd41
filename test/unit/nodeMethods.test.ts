import { describe, expect, it } from 'vitest';
import { meetingMethods } from '../../hub/cluster/ClusterMeetings.js';
import { pipeMethods } from '../../media-server/nodePipeMessages.js';

const user = {
  id: 7,
  sessionId: 's-1',
  username: 'chutoa',
  displayName: 'Chủ tọa',
  role: 'CHAIR',
  bridgePointCode: null,
  mustChangePassword: false,
};
const seat = { siteCode: 'TINH', siteName: 'UBND tỉnh', isChair: true, peerId: 'peer-1' };
const forwarded = { meetingId: 'm-1', event: 'chair:muteSite', payload: { code: 'XA-01', muted: true }, socketId: 'sock-1', user, seat };

/** The schemas of what crosses between hub nodes: what a node of this version accepts, and what it refuses. */
describe('the methods between hub nodes', () => {
  it('each has one name across the maps, and its kind decides whether an answer is parsed', () => {
    const methods = [...Object.values(pipeMethods), ...Object.values(meetingMethods)];
    const names = methods.map((method) => method.name);
    expect(new Set(names).size).toBe(names.length);
    expect(methods.filter((method) => method.kind === 'call').map((method) => method.name)).toEqual([
      'pipe.open',
      'pipe.export',
      'meeting.event',
    ]);
  });

  it('meeting.event: only an event the home decides, from a known role, with its seat', () => {
    const params = meetingMethods.event.params;
    expect(params.parse(forwarded)).toEqual(forwarded);
    expect(params.safeParse({ ...forwarded, event: 'media:join' }).success).toBe(false);
    expect(params.safeParse({ ...forwarded, event: 'chair:unknown' }).success).toBe(false);
    expect(params.safeParse({ ...forwarded, user: { ...user, role: 'ROOT' } }).success).toBe(false);
    expect(params.safeParse({ ...forwarded, seat: { ...seat, isChair: 'yes' } }).success).toBe(false);
    const { socketId: _, ...withoutSocket } = forwarded;
    expect(params.safeParse(withoutSocket).success).toBe(false);
  });

  it('meeting.event answers as a socket ack: data, or an error with a known code', () => {
    const result = meetingMethods.event.result;
    expect(result.parse({ ok: true, data: { muted: true } })).toEqual({ ok: true, data: { muted: true } });
    expect(result.parse({ ok: true, data: null })).toEqual({ ok: true, data: null });
    expect(result.parse({ ok: false, error: { code: 'FORBIDDEN', message: 'không' } })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'không' },
    });
    expect(result.safeParse({ ok: false, error: { code: 'TEAPOT', message: 'x' } }).success).toBe(false);
    expect(result.safeParse({ ok: 'yes' }).success).toBe(false);
  });

  it('meeting.presence: a site’s presence, or null when it is forgotten', () => {
    const params = meetingMethods.presence.params;
    expect(params.parse({ meetingId: 'm-1', code: 'XA-01', presence: null })).toEqual({ meetingId: 'm-1', code: 'XA-01', presence: null });
    expect(params.safeParse({ meetingId: 'm-1', code: 'XA-01', presence: 'asleep' }).success).toBe(false);
    expect(params.safeParse({ meetingId: 'm-1', code: '', presence: 'connected' }).success).toBe(false);
  });

  it('pipe.open: an address (IPv4 or IPv6), a port, and SRTP keys of a known suite', () => {
    const params = pipeMethods.open.params;
    const end = { meetingId: 'm-1', ip: '10.0.0.12', port: 40000 };
    expect(params.parse(end)).toEqual(end);
    expect(params.parse({ ...end, ip: 'fd00::12' })).toMatchObject({ ip: 'fd00::12' });
    expect(params.parse({ ...end, srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: 'a2V5' } })).toMatchObject({
      srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM' },
    });
    expect(params.safeParse({ ...end, ip: 'node2.local' }).success).toBe(false);
    expect(params.safeParse({ ...end, port: 70000 }).success).toBe(false);
    expect(params.safeParse({ ...end, srtpParameters: { cryptoSuite: 'NULL', keyBase64: 'a2V5' } }).success).toBe(false);
  });

  it('pipe.export answers what comes down the pipe: kind, RTP parameters with at least one codec, the site, the source', () => {
    const result = pipeMethods.export.result;
    const exported = {
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 1 }] },
      paused: false,
      peer: { peerId: 'peer-2', bridgePointCode: 'XA-02', bridgePointName: 'UBND xã Mỹ Hòa Hưng' },
      source: 'camera',
      nodeId: 'node-2',
    };
    expect(result.parse(exported)).toMatchObject({ kind: 'video', source: 'camera' });
    expect(result.safeParse({ ...exported, rtpParameters: { codecs: [] } }).success).toBe(false);
    expect(result.safeParse({ ...exported, kind: 'data' }).success).toBe(false);
    expect(result.safeParse({ ...exported, source: 'projector' }).success).toBe(false);
  });

  it('the notices: a layer is a whole number from 0, a pause a boolean', () => {
    expect(pipeMethods.layer.params.safeParse({ meetingId: 'm', producerId: 'p', layer: 2 }).success).toBe(true);
    expect(pipeMethods.layer.params.safeParse({ meetingId: 'm', producerId: 'p', layer: -1 }).success).toBe(false);
    expect(pipeMethods.layer.params.safeParse({ meetingId: 'm', producerId: 'p', layer: 1.5 }).success).toBe(false);
    expect(pipeMethods.paused.params.safeParse({ meetingId: 'm', producerId: 'p', paused: 'true' }).success).toBe(false);
    expect(pipeMethods.release.params.safeParse({ meetingId: 'm' }).success).toBe(false);
  });
});
