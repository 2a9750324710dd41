import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MediaServer } from '../media-server/index.js';
import { iceTransportPolicies, unitLevels } from '../shared/meetings.js';
import type { AuditLog } from './admin/AuditLog.js';
import { only } from './auth/accessControl.js';
import { MeetingRuleError, type MeetingStore } from './meetings/MeetingStore.js';
import type { BridgePointDirectory } from './BridgePointDirectory.js';
import { errorSchema } from './httpErrors.js';

const consumerCountsSchema = z.object({
  total: z.number(),
  video: z.number(),
  audio: z.number(),
  forwardedVideo: z.number(),
  forwardedAudio: z.number(),
});

const bridgePointSchema = z.object({ code: z.string(), name: z.string(), level: z.enum(unitLevels) });

export interface RestDeps {
  directory: BridgePointDirectory;
  media: MediaServer;
  audit: AuditLog;
  store: MeetingStore;
}

const networkSchema = z.object({ code: z.string(), iceTransportPolicy: z.enum(iceTransportPolicies) });
const codeParams = z.object({ code: z.string().regex(/^[A-Z0-9-]{1,32}$/, 'a bridge point code such as XA-01') });

export const restRoutes =
  ({ directory, media, audit, store }: RestDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const admins = { access: only('ADMIN') };
    const unknownPoint = (code: string) => new MeetingRuleError('NOT_FOUND', `no bridge point ${code}`);
    app.get(
      '/api/bridge-points/:code/network',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: "How a bridge point's browsers reach the media: 'all' (direct, TCP, then TURN) or 'relay' (TURN only)",
          params: codeParams,
          response: { 200: networkSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
        },
      },
      async (request) => (await directory.network(request.params.code)) ?? Promise.reject(unknownPoint(request.params.code)),
    );
    app.put(
      '/api/bridge-points/:code/network',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: "Sets 'relay' for a site whose firewall lets only TCP to the TURN port through; takes effect at its next join",
          params: codeParams,
          body: z.strictObject({ iceTransportPolicy: z.enum(iceTransportPolicies) }),
          response: { 200: networkSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const network = await directory.setNetwork(request.params.code, request.body.iceTransportPolicy);
        if (!network) throw unknownPoint(request.params.code);
        await audit.record(request.user!, 'bridgePoint.network', `bridgePoint:${network.code}`, { ...network }, request.ip);
        return network;
      },
    );

    app.get(
      '/api/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness and media worker count',
          response: { 200: z.object({ status: z.literal('ok'), workers: z.number() }) },
        },
      },
      async () => ({ status: 'ok' as const, workers: media.workerPool.size }),
    );

    app.get(
      '/api/bridge-points',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['bridge points'], summary: 'All bridge points (điểm cầu)', response: { 200: z.array(bridgePointSchema) } },
      },
      async () => directory.list(),
    );

    app.get(
      '/api/meetings/:meetingId/media',
      {
        config: { access: only('CHAIR', 'ADMIN') },
        schema: {
          tags: ['meetings'],
          summary:
            'Where a live meeting runs (its routers, one per worker, and their peers) and the consumers the SFU holds and forwards for its viewers',
          params: z.object({ meetingId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) }),
          response: {
            200: z.object({
              routers: z.array(z.object({ routerId: z.string(), workerIndex: z.number(), peers: z.number() })),
              consumers: consumerCountsSchema,
              sites: z.array(z.object({ code: z.string(), consumers: consumerCountsSchema })),
            }),
            403: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request, reply) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        const room = await media.existingRoom(request.params.meetingId);
        if (!room) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'meeting is not live' });
        return room.stats();
      },
    );
  };
