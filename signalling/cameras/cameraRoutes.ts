import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CameraGateway } from '../../camera-gateway/index.js';
import { addCameraSchema, cameraIdSchema, cameraStatuses } from '../../shared/cameras.js';
import { requireRole } from '../auth/authPlugin.js';
import type { AuthService } from '../auth/AuthService.js';
import { errorSchema } from '../httpErrors.js';
import { provinceDayStart } from '../reports/ReportService.js';

const cameraSchema = z.object({
  id: z.number(),
  name: z.string(),
  unitName: z.string(),
  counter: z.string(),
  onvifAddress: z.string(),
  encoding: z.string(),
  ptz: z.boolean(),
  pinned: z.boolean(),
  status: z.enum(cameraStatuses),
  lastSeenAt: z.string().nullable(),
});
const params = z.object({ cameraId: cameraIdSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 502: errorSchema };

export const cameraRoutes =
  ({ auth, cameras }: { auth: AuthService; cameras: CameraGateway }): FastifyPluginAsyncZod =>
  async (app) => {
    const admin = requireRole(auth, 'ADMIN');
    const stations = requireRole(auth, 'SUPERVISOR', 'ADMIN');

    app.get(
      '/api/cameras',
      {
        onRequest: stations,
        schema: { tags: ['cameras'], summary: 'The camera registry with live status', response: { 200: z.array(cameraSchema), ...errors } },
      },
      async () => cameras.list(),
    );

    app.post(
      '/api/cameras',
      {
        onRequest: admin,
        schema: {
          tags: ['cameras'],
          summary:
            'Register a camera by its ONVIF address: device info, profiles, RTSP and snapshot URIs are read from it (password stored encrypted)',
          body: addCameraSchema,
          response: { 201: cameraSchema, ...errors },
        },
      },
      async (request, reply) => {
        if (cameras.list().some((c) => c.onvifAddress === request.body.onvifAddress)) {
          return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'onvifAddress: this camera is already registered' });
        }
        return reply.code(201).send(await cameras.add(request.body));
      },
    );

    app.post(
      '/api/cameras/discover',
      {
        onRequest: admin,
        schema: {
          tags: ['cameras'],
          summary: 'WS-Discovery probe of the local network (about 3 s); only when an admin asks',
          response: {
            200: z.array(
              z.object({ name: z.string(), location: z.string(), hardware: z.string(), onvifAddress: z.string(), registered: z.boolean() }),
            ),
            ...errors,
          },
        },
      },
      async () => cameras.discover(),
    );

    app.patch(
      '/api/cameras/:cameraId',
      {
        onRequest: admin,
        schema: {
          tags: ['cameras'],
          summary: 'Pin (always pull) or unpin a camera',
          params,
          body: z.strictObject({ pinned: z.boolean() }),
          response: { 200: cameraSchema, ...errors },
        },
      },
      async (request) => cameras.setPinned(request.params.cameraId, request.body.pinned),
    );

    app.delete(
      '/api/cameras/:cameraId',
      { onRequest: admin, schema: { tags: ['cameras'], summary: 'Remove a camera', params, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await cameras.remove(request.params.cameraId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/cameras/:cameraId/snapshot',
      {
        onRequest: stations,
        schema: { tags: ['cameras'], summary: 'A JPEG snapshot from the camera', params, response: { 200: z.any(), ...errors } },
      },
      async (request, reply) => {
        const { contentType, body } = await cameras.snapshot(request.params.cameraId);
        return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
      },
    );

    app.get(
      '/api/cameras/:cameraId/presets',
      {
        onRequest: requireRole(auth, 'SUPERVISOR'),
        schema: {
          tags: ['cameras'],
          summary: 'PTZ presets',
          params,
          response: { 200: z.array(z.object({ token: z.string(), name: z.string() })), ...errors },
        },
      },
      async (request) => cameras.presets(request.params.cameraId),
    );

    app.get(
      '/api/reports/cameras',
      {
        onRequest: requireRole(auth, 'SUPERVISOR', 'SECRETARIAT', 'ADMIN'),
        schema: {
          tags: ['reports'],
          summary: 'Uptime per camera over [from, to) (province calendar days)',
          querystring: z.strictObject({ from: z.iso.date(), to: z.iso.date() }),
          response: {
            200: z.array(
              z.object({
                id: z.number(),
                name: z.string(),
                unitName: z.string(),
                uptime: z.number().nullable(),
                offlineEvents: z.number(),
              }),
            ),
            ...errors,
          },
        },
      },
      async (request) => cameras.uptime(provinceDayStart(request.query.from), provinceDayStart(request.query.to)),
    );
  };
