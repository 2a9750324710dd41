import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { iceTransportPolicies, unitLevels } from '../../shared/meetings.js';
import { HubError } from '../../errors/index.js';
import type { AuditLog } from '../audit/index.js';
import { errorSchema, only } from '../http/index.js';
import type { BridgePointDirectory } from './BridgePointDirectory.js';
import { said } from '../../shared/messages/index.js';

const bridgePointSchema = z.object({ code: z.string(), name: z.string(), level: z.enum(unitLevels) });
const networkSchema = z.object({ code: z.string(), iceTransportPolicy: z.enum(iceTransportPolicies) });
const codeParams = z.object({ code: z.string().regex(/^[A-Z0-9-]{1,32}$/, 'validation.unitCode') });

export interface BridgePointRoutesDeps {
  directory: BridgePointDirectory;
  audit: AuditLog;
}

/** The bridge points (điểm cầu) as sites see them, and how each one's browsers reach the media. */
export const bridgePointRoutes =
  ({ directory, audit }: BridgePointRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const admins = { access: only('ADMIN') };
    const unknownPoint = (code: string) => new HubError('NOT_FOUND', said('unit.notFound', { code }));
    app.get(
      '/api/bridge-points',
      {
        config: { access: 'signedIn' },
        schema: { tags: ['bridge points'], summary: 'All bridge points (điểm cầu)', response: { 200: z.array(bridgePointSchema) } },
      },
      async () => directory.list(),
    );
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
  };
