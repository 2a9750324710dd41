import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CameraGateway } from '../../camera-gateway/index.js';
import { addCameraSchema, cameraIdSchema, cameraStatuses, recordModes, tamperKinds } from '../../shared/cameras.js';
import type { AuditLog } from '../audit/index.js';
import { only, errorSchema, refusal } from '../http/index.js';
import { provinceDayStart } from '../../shared/provinceCalendar.js';
import { said } from '../../shared/messages/index.js';

export const cameraSchema = z.object({
  id: z.number(),
  name: z.string(),
  unitName: z.string(),
  counter: z.string(),
  onvifAddress: z.string(),
  encoding: z.string(),
  ptz: z.boolean(),
  pinned: z.boolean(),
  recordMode: z.enum(recordModes),
  recording: z.boolean(),
  status: z.enum(cameraStatuses),
  tamper: z.enum(tamperKinds).nullable(),
  staffZone: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).nullable(),
  unattendedSince: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
});
const params = z.object({ cameraId: cameraIdSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 502: errorSchema };

export const cameraRoutes =
  ({ cameras, audit }: { cameras: CameraGateway; audit: AuditLog }): FastifyPluginAsyncZod =>
  async (app) => {
    const admin = { access: only('ADMIN') };
    const stations = { access: only('SUPERVISOR', 'ADMIN') };

    app.get(
      '/api/cameras',
      {
        config: stations,
        schema: { tags: ['cameras'], summary: 'The camera registry with live status', response: { 200: z.array(cameraSchema), ...errors } },
      },
      async () => cameras.list(),
    );

    app.post(
      '/api/cameras',
      {
        config: admin,
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
          return reply.code(409).send(refusal(409, 'Conflict', said('camera.alreadyRegistered')));
        }
        const added = await cameras.add(request.body);
        const { password: _secret, ...recorded } = request.body;
        await audit.record(request.user!, 'camera.create', `camera:${added.id}`, recorded, request.ip);
        return reply.code(201).send(added);
      },
    );

    app.post(
      '/api/cameras/discover',
      {
        config: admin,
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
      async () => cameras.control.discover(),
    );

    app.patch(
      '/api/cameras/:cameraId',
      {
        config: admin,
        schema: {
          tags: ['cameras'],
          summary: 'Pin (always pull) or unpin a camera; set when it records (ALWAYS, OFFICE_HOURS on working days, OFF)',
          params,
          body: z
            .strictObject({ pinned: z.boolean().optional(), recordMode: z.enum(recordModes).optional() })
            .refine((b) => b.pinned !== undefined || b.recordMode !== undefined, 'validation.pinnedOrRecordMode'),
          response: { 200: cameraSchema, ...errors },
        },
      },
      async (request) => {
        const { cameraId } = request.params;
        const { pinned, recordMode } = request.body;
        if (pinned !== undefined) await cameras.setPinned(cameraId, pinned);
        if (recordMode !== undefined) await cameras.setRecordMode(cameraId, recordMode);
        await audit.record(request.user!, 'camera.update', `camera:${cameraId}`, request.body, request.ip);
        return cameras.get(cameraId);
      },
    );

    app.get(
      '/api/cameras/:cameraId/profiles',
      {
        config: admin,
        schema: {
          tags: ['cameras'],
          summary:
            "The camera's media profiles as it describes them now over ONVIF (encoding, resolution); which are the wall's main and sub streams",
          params,
          response: {
            200: z.array(
              z.object({
                token: z.string(),
                name: z.string(),
                encoding: z.string(),
                width: z.number(),
                height: z.number(),
                use: z.enum(['main', 'sub', 'unused']),
              }),
            ),
            ...errors,
          },
        },
      },
      async (request) => cameras.control.profiles(request.params.cameraId),
    );

    app.delete(
      '/api/cameras/:cameraId',
      { config: admin, schema: { tags: ['cameras'], summary: 'Remove a camera', params, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        const { name, onvifAddress } = cameras.get(request.params.cameraId);
        await cameras.remove(request.params.cameraId);
        await audit.record(request.user!, 'camera.delete', `camera:${request.params.cameraId}`, { name, onvifAddress }, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/cameras/:cameraId/snapshot',
      {
        config: stations,
        schema: { tags: ['cameras'], summary: 'A JPEG snapshot from the camera', params, response: { 200: z.any(), ...errors } },
      },
      async (request, reply) => {
        const { contentType, body } = await cameras.control.snapshot(request.params.cameraId);
        return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
      },
    );

    app.get(
      '/api/cameras/:cameraId/presets',
      {
        config: { access: only('SUPERVISOR') },
        schema: {
          tags: ['cameras'],
          summary: 'PTZ presets',
          params,
          response: { 200: z.array(z.object({ token: z.string(), name: z.string() })), ...errors },
        },
      },
      async (request) => cameras.control.presets(request.params.cameraId),
    );

    app.get(
      '/api/reports/cameras',
      {
        config: { access: only('SUPERVISOR', 'SECRETARIAT', 'ADMIN') },
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
                tamperEvents: z.number(),
              }),
            ),
            ...errors,
          },
        },
      },
      async (request) => cameras.uptime(provinceDayStart(request.query.from), provinceDayStart(request.query.to)),
    );
  };
