import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MediaServer } from '../media-server/index.js';
import { unitLevels } from '../shared/meetings.js';
import type { BridgePointDirectory } from './BridgePointDirectory.js';
import { errorSchema } from './httpErrors.js';

const bridgePointSchema = z.object({ code: z.string(), name: z.string(), level: z.enum(unitLevels) });

export interface RestDeps {
  directory: BridgePointDirectory;
  media: MediaServer;
}

export const restRoutes =
  ({ directory, media }: RestDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/health',
      {
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
      { schema: { tags: ['bridge points'], summary: 'All bridge points (điểm cầu)', response: { 200: z.array(bridgePointSchema) } } },
      async () => directory.list(),
    );

    app.get(
      '/api/meetings/:meetingId/media',
      {
        schema: {
          tags: ['meetings'],
          summary: 'Where a live meeting runs: its routers, one per worker, and their peers',
          params: z.object({ meetingId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) }),
          response: {
            200: z.object({ routers: z.array(z.object({ routerId: z.string(), workerIndex: z.number(), peers: z.number() })) }),
            404: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const room = await media.existingRoom(request.params.meetingId);
        if (!room) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'meeting is not live' });
        return room.stats();
      },
    );
  };
