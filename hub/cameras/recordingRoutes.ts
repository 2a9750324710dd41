import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CameraGateway, Recorder } from '../../camera-gateway/index.js';
import { cameraIdSchema } from '../../shared/cameras.js';
import type { AuditLog } from '../audit/index.js';
import { only, errorSchema, refusal, type HeavyExports } from '../http/index.js';
import { hlsPlaylist } from './hlsPlaylist.js';
import { said, type Said } from '../../shared/messages/index.js';

const params = z.object({ cameraId: cameraIdSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const maxListDays = 31;
/** A clip is cut into a temp file and hashed before it is sent: an hour of main stream is a few hundred MB. */
const maxClipMinutes = 60;

const range = (maxMs: number, atMost: Said) =>
  z
    .strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
    .transform(({ from, to }) => ({ from: new Date(from), to: new Date(to) }))
    .refine(({ from, to }) => to > from, { message: 'validation.toAfterFrom', path: ['to'] })
    .refine(({ from, to }) => to.getTime() - from.getTime() <= maxMs, { message: atMost.key, params: atMost.params, path: ['to'] });
const listRange = range(maxListDays * 86_400_000, said('validation.rangeAtMostDays', { days: maxListDays }));
const clipRange = range(maxClipMinutes * 60_000, said('validation.rangeAtMostMinutes', { minutes: maxClipMinutes }));
const rangeSchema = z.object({ start: z.string(), end: z.string() });
const lockSchema = z.object({
  id: z.number(),
  cameraId: z.number(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
  lockedBy: z.string(),
  createdAt: z.string(),
  releasedAt: z.string().nullable(),
  releasedBy: z.string().nullable(),
  releaseReason: z.string().nullable(),
});
const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Recordings for the stations and integrators: recorded ranges, clips (MP4, audited with their
 * SHA-256), HLS playback for the page, evidence locks, the recordings' disk.
 */
export const recordingRoutes =
  ({
    cameras,
    recorder,
    audit,
    exports,
  }: {
    cameras: CameraGateway;
    recorder: Recorder;
    audit: AuditLog;
    /** Clips take a slot of the hub's heavy exports while they are cut and sent. */
    exports: HeavyExports;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    const stations = { access: only('SUPERVISOR', 'ADMIN') };
    const writing = (cameraId: number) => cameras.recording(cameraId);

    app.get(
      '/api/cameras/:cameraId/recordings',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'Recorded ranges of the camera within [from, to) (ISO times; gaps are where nothing was recorded)',
          params,
          querystring: listRange,
          response: { 200: z.object({ ranges: z.array(rangeSchema) }), ...errors },
        },
      },
      async (request) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        const ranges = await recorder.ranges(cameraId, request.query.from, request.query.to, writing(cameraId));
        return { ranges: ranges.map((r) => ({ start: r.start.toISOString(), end: r.end.toISOString() })) };
      },
    );

    app.get(
      '/api/cameras/:cameraId/clip',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: `An MP4 of [from, to) (stream copy, faststart; starts at the key frame at or before from; at most ${maxClipMinutes} min). Audited with its SHA-256 (also in X-Clip-SHA256)`,
          params,
          querystring: clipRange,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId } = request.params;
        const camera = cameras.get(cameraId);
        const { from, to } = request.query;
        const release = exports.acquire();
        if (!release) return exports.refuse(reply);
        let clip: Awaited<ReturnType<typeof recorder.clip>>;
        try {
          clip = await recorder.clip(cameraId, from, to, writing(cameraId));
        } catch (error) {
          release();
          throw error;
        }
        const detail = { camera: camera.name, from: from.toISOString(), to: to.toISOString(), sha256: clip.sha256, bytes: clip.bytes };
        await audit.record(request.user!, 'camera.clip.export', `camera:${cameraId}`, detail, request.ip).catch((error: unknown) => {
          clip.dispose();
          release();
          throw error;
        });
        const stream = fs.createReadStream(clip.file);
        stream.once('close', () => {
          clip.dispose();
          release();
        });
        const name = `camera-${cameraId}-${from.toISOString().replaceAll(':', '')}.mp4`;
        return reply
          .header('content-type', 'video/mp4')
          .header('content-length', String(clip.bytes))
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('x-clip-sha256', clip.sha256)
          .header('cache-control', 'no-store')
          .send(stream);
      },
    );

    app.get(
      '/api/cameras/:cameraId/playback.m3u8',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'HLS playlist (VOD) of the recorded segments within [from, to), each with its wall-clock time',
          params,
          querystring: listRange,
          response: { 200: z.string(), ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        const segments = await recorder.segments(cameraId, request.query.from, request.query.to, writing(cameraId));
        // every read of a recording is on record: who watched which camera's range, from where
        const range = { from: request.query.from.toISOString(), to: request.query.to.toISOString(), segments: segments.length };
        await audit.record(request.user!, 'camera.playback.playlist', `camera:${cameraId}`, range, request.ip);
        return reply
          .header('content-type', 'application/vnd.apple.mpegurl')
          .header('cache-control', 'no-store')
          .send(hlsPlaylist(cameraId, segments));
      },
    );

    app.get(
      '/api/cameras/:cameraId/segments/:name',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'One recorded segment (MPEG-TS), as the HLS playlist lists it',
          params: params.extend({ name: z.string().regex(/^\d+\.ts$/) }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId, name } = request.params;
        cameras.get(cameraId);
        const file = `${recorder.options.directory}/${cameraId}/${name}`;
        if (!fs.existsSync(file)) return reply.code(404).send(refusal(404, 'Not Found', said('camera.noSegment')));
        await audit.record(request.user!, 'camera.playback.segment', `camera:${cameraId}`, { segment: name }, request.ip);
        return reply.header('content-type', 'video/mp2t').header('cache-control', 'no-store').send(fs.createReadStream(file));
      },
    );

    app.get(
      '/api/cameras/:cameraId/locks',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'Evidence locks on the camera that overlap [from, to), released ones too',
          params,
          querystring: listRange,
          response: { 200: z.array(lockSchema), ...errors },
        },
      },
      async (request) => {
        cameras.get(request.params.cameraId);
        const locks = await recorder.locks.list(request.params.cameraId, request.query.from, request.query.to);
        return locks.map(lockDto);
      },
    );

    app.post(
      '/api/cameras/:cameraId/locks',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'Keep [from, to) as evidence: retention skips it until it is released',
          params,
          body: z
            .strictObject({
              from: z.iso.datetime({ offset: true }),
              to: z.iso.datetime({ offset: true }),
              reason: z.string().trim().min(3).max(500),
            })
            .refine((b) => new Date(b.to) > new Date(b.from), { message: 'validation.toAfterFrom', path: ['to'] }),
          response: { 201: lockSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        const { from, to, reason } = request.body;
        const lock = await recorder.locks.lock(cameraId, { from: new Date(from), to: new Date(to) }, reason, request.user!.username);
        await audit.record(request.user!, 'camera.evidence.lock', `camera:${cameraId}`, { lockId: lock.id, from, to, reason }, request.ip);
        return reply.code(201).send(lockDto(lock));
      },
    );

    app.post(
      '/api/cameras/:cameraId/locks/:lockId/release',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary:
            'Release an evidence lock, saying why: only the supervisor who locked it, or an admin (its range falls under retention again; the lock stays on record)',
          params: params.extend({ lockId: z.coerce.number().int().positive() }),
          body: z.strictObject({ reason: z.string().trim().min(3, 'validation.unlockReason').max(500) }),
          response: { 200: lockSchema, ...errors },
        },
      },
      async (request) => {
        const { cameraId, lockId } = request.params;
        const { reason } = request.body;
        const user = request.user!;
        const lock = await recorder.locks.release(
          cameraId,
          lockId,
          { username: user.username, mayReleaseOthers: user.role === 'ADMIN' },
          reason,
        );
        await audit.record(user, 'camera.evidence.release', `camera:${cameraId}`, { lockId, reason }, request.ip);
        return lockDto(lock);
      },
    );

    app.get(
      '/api/recordings/storage',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'The recordings disk: bytes used, quota, free space, and whether recording is paused for lack of space',
          response: {
            200: z.object({ usedBytes: z.number(), quotaBytes: z.number(), freeBytes: z.number(), diskFull: z.boolean() }),
            ...errors,
          },
        },
      },
      async () => recorder.storage,
    );

    app.get(
      '/api/clips/:sha256',
      {
        config: { access: 'signedIn' },
        schema: {
          tags: ['recordings'],
          summary: 'Check a clip one was handed: the audited exports whose file had this SHA-256 (none: not exported here, or altered)',
          params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
          response: {
            200: z.object({
              exports: z.array(z.object({ at: z.string(), actor: z.string(), target: z.string().nullable(), detail: z.unknown() })),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const entries = await audit.clipExports(request.params.sha256);
        return { exports: entries.map(({ at, actor, target, detail }) => ({ at, actor, target, detail })) };
      },
    );
  };

function lockDto(lock: Awaited<ReturnType<Recorder['locks']['lock']>>) {
  return {
    ...lock,
    from: lock.from.toISOString(),
    to: lock.to.toISOString(),
    createdAt: lock.createdAt.toISOString(),
    releasedAt: iso(lock.releasedAt),
  };
}
