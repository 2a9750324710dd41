import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubCluster } from '../cluster/index.js';
import { only } from './auth/accessControl.js';
import { errorSchema } from './httpErrors.js';

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
  };
