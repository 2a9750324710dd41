import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubCluster } from '../../cluster/index.js';
import { meetingIdSchema } from '../../shared/meetings.js';
import { only, errorSchema } from '../http/index.js';

const nodeSchema = z.object({
  nodeId: z.string(),
  url: z.string(),
  startedAt: z.string(),
  workers: z.array(z.object({ index: z.number(), load: z.number(), live: z.boolean() })),
  at: z.string(),
});

/** The hub nodes behind this address, as their directory in Redis has them (one node alone: just itself). */
export const clusterRoutes =
  ({ cluster }: { cluster: HubCluster | undefined }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/cluster/nodes',
      {
        config: { access: only('ADMIN') },
        schema: {
          tags: ['cluster'],
          summary: 'The hub nodes alive behind this address, each with its workers’ load (REDIS_URL set; otherwise none)',
          response: { 200: z.object({ nodes: z.array(nodeSchema) }), 401: errorSchema, 403: errorSchema },
        },
      },
      async () => ({ nodes: cluster ? await cluster.nodes() : [] }),
    );
    app.get(
      '/api/cluster/meetings/:meetingId',
      {
        config: { access: only('ADMIN') },
        schema: {
          tags: ['cluster'],
          summary:
            'The node a meeting is homed on (it holds the meeting’s control state), chosen now if it has none; null on a single node',
          params: z.object({ meetingId: meetingIdSchema }),
          response: { 200: z.object({ meetingId: z.string(), home: z.string().nullable() }), 401: errorSchema, 403: errorSchema },
        },
      },
      async (request) => ({
        meetingId: request.params.meetingId,
        home: cluster ? await cluster.homes.homeOf(request.params.meetingId) : null,
      }),
    );
  };
