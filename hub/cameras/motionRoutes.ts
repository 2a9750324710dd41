import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BookmarkRow, CameraGateway, Recorder } from '../../camera-gateway/index.js';
import { cameraIdSchema, deviceEventKinds, maxMotionSearchDays, motionSearchSchema } from '../../shared/cameras.js';
import type { AuditLog } from '../audit/index.js';
import { errorSchema, only } from '../http/index.js';

const params = z.object({ cameraId: cameraIdSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const bookmarkSchema = z.object({
  id: z.number(),
  cameraId: z.number(),
  from: z.string(),
  to: z.string(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const maxListDays = 31;
const listRange = z
  .strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .transform(({ from, to }) => ({ from: new Date(from), to: new Date(to) }))
  .refine(({ from, to }) => to > from, { message: 'validation.toAfterFrom', path: ['to'] })
  .refine(({ from, to }) => to.getTime() - from.getTime() <= maxListDays * 86_400_000, {
    message: 'validation.rangeAtMostDays',
    params: { days: maxListDays },
    path: ['to'],
  });

/**
 * What the stations find in the recordings without watching them: motion in a region (from the
 * metadata stored as the cameras were analysed), bookmarks with notes, and a camera's new view taken
 * as its usual one when it was re-aimed on purpose.
 */
export const motionRoutes =
  ({ cameras, recorder, audit }: { cameras: CameraGateway; recorder: Recorder; audit: AuditLog }): FastifyPluginAsyncZod =>
  async (app) => {
    const stations = { access: only('SUPERVISOR', 'ADMIN') };

    app.post(
      '/api/cameras/:cameraId/motion-search',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: `Intervals with motion in a region of the picture within [from, to) (at most ${maxMotionSearchDays} days), from the motion metadata stored as the camera was analysed. region: fractions of the picture from the top left; sensitivity 1 (strong motion only) … 10 (faint); minArea: percent of the region moving at once; peak: the largest percent moving within the interval`,
          params,
          body: motionSearchSchema,
          response: {
            200: z.object({
              intervals: z.array(z.object({ start: z.string(), end: z.string(), peak: z.number() })),
              truncated: z.boolean(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        const { intervals, truncated } = await recorder.motion.search(cameraId, request.body);
        return {
          intervals: intervals.map((i) => ({
            start: new Date(i.start).toISOString(),
            end: new Date(i.end).toISOString(),
            peak: Math.round(i.peak * 10) / 10,
          })),
          truncated,
        };
      },
    );

    app.get(
      '/api/cameras/:cameraId/bookmarks',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: `The camera's bookmarks overlapping [from, to) (at most ${maxListDays} days)`,
          params,
          querystring: listRange,
          response: { 200: z.array(bookmarkSchema), ...errors },
        },
      },
      async (request) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        return (await recorder.bookmarks.list(cameraId, request.query.from, request.query.to)).map(bookmarkDto);
      },
    );

    app.post(
      '/api/cameras/:cameraId/bookmarks',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'Bookmark [from, to) of the camera with a note (audited)',
          params,
          body: z
            .strictObject({
              from: z.iso.datetime({ offset: true }),
              to: z.iso.datetime({ offset: true }),
              note: z.string().trim().min(3, 'validation.bookmarkNote').max(500, 'validation.bookmarkNote'),
            })
            .refine((b) => new Date(b.to) > new Date(b.from), { message: 'validation.toAfterFrom', path: ['to'] }),
          response: { 201: bookmarkSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        const { from, to, note } = request.body;
        const bookmark = await recorder.bookmarks.add(cameraId, { from: new Date(from), to: new Date(to) }, note, request.user!.username);
        await audit.record(
          request.user!,
          'camera.bookmark.add',
          `camera:${cameraId}`,
          { bookmarkId: bookmark.id, from, to, note },
          request.ip,
        );
        return reply.code(201).send(bookmarkDto(bookmark));
      },
    );

    app.delete(
      '/api/cameras/:cameraId/bookmarks/:bookmarkId',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: 'Remove a bookmark: whoever made it, or an admin (audited)',
          params: params.extend({ bookmarkId: z.coerce.number().int().positive() }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId, bookmarkId } = request.params;
        const user = request.user!;
        const bookmark = await recorder.bookmarks.remove(cameraId, bookmarkId, {
          username: user.username,
          mayRemoveOthers: user.role === 'ADMIN',
        });
        await audit.record(user, 'camera.bookmark.remove', `camera:${cameraId}`, { bookmarkId, note: bookmark.note }, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/cameras/:cameraId/device-events',
      {
        config: stations,
        schema: {
          tags: ['recordings'],
          summary: `What the camera itself reported through its ONVIF events (motion, tamper, video loss) within [from, to) (at most ${maxListDays} days): each span from active to inactive, end null while it lasts`,
          params,
          querystring: listRange,
          response: {
            200: z.array(z.object({ kind: z.enum(deviceEventKinds), start: z.string(), end: z.string().nullable() })),
            ...errors,
          },
        },
      },
      async (request) => {
        const { cameraId } = request.params;
        cameras.get(cameraId);
        const spans = await cameras.deviceEvents.spans(cameraId, request.query.from, request.query.to);
        return spans.map((s) => ({ kind: s.kind, start: s.startedAt.toISOString(), end: s.endedAt?.toISOString() ?? null }));
      },
    );

    app.post(
      '/api/cameras/:cameraId/view/relearn',
      {
        config: stations,
        schema: {
          tags: ['cameras'],
          summary: 'The camera\'s present view becomes its usual one (it was re-aimed on purpose): a "turned away" alert clears (audited)',
          params,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { cameraId } = request.params;
        await cameras.relearnView(cameraId);
        await audit.record(request.user!, 'camera.view.relearn', `camera:${cameraId}`, {}, request.ip);
        return reply.code(204).send(null);
      },
    );
  };

function bookmarkDto(bookmark: BookmarkRow) {
  return { ...bookmark, from: bookmark.from.toISOString(), to: bookmark.to.toISOString(), createdAt: bookmark.createdAt.toISOString() };
}
