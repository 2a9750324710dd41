import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bridgePointCodeSchema, unitLevels } from '../../shared/meetings.js';
import { changeUnitSchema, createUnitSchema, mergeUnitsSchema, retireUnitSchema } from '../../shared/units.js';
import { only, errorSchema } from '../http/index.js';
import type { UnitAdmin } from './UnitAdmin.js';

const unitSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(unitLevels),
  retiredAt: z.string().nullable(),
  mergedInto: z.string().nullable(),
  history: z.array(z.object({ name: z.string(), level: z.enum(unitLevels), validUntil: z.string() })),
});
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const params = z.object({ code: bridgePointCodeSchema });
const admins = { access: only('ADMIN') };
const when = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

/** The admin's side of the province's units: add, rename or re-level, retire, merge (administrative reorganisation). */
export const unitRoutes =
  ({ units }: { units: UnitAdmin }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/bridge-points/history',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: 'Every unit, retired and merged ones too, with the names and levels it held before',
          response: { 200: z.array(unitSchema), ...errors },
        },
      },
      async () => units.list(),
    );
    app.post(
      '/api/bridge-points',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: 'Add a unit (bridge point)',
          body: createUnitSchema,
          response: { 201: unitSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await units.add(request.user!, request.body, request.ip)),
    );
    app.patch(
      '/api/bridge-points/:code',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary:
            'Rename a unit or change its level, from `effectiveAt` (default now); reports show meetings before it under the former name',
          params,
          body: changeUnitSchema,
          response: { 200: unitSchema, ...errors },
        },
      },
      async (request) =>
        units.change(request.user!, request.params.code, { ...request.body, effectiveAt: when(request.body.effectiveAt) }, request.ip),
    );
    app.post(
      '/api/bridge-points/:code/retire',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: 'Retire a unit: it keeps its history but is no longer invited',
          params,
          body: retireUnitSchema,
          response: { 200: unitSchema, ...errors },
        },
      },
      async (request) => units.retire(request.user!, request.params.code, when(request.body.effectiveAt), request.ip),
    );
    app.post(
      '/api/bridge-points/merge',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary:
            'Merge units into a new (or an existing) unit from `effectiveAt`: they retire pointing at it, their accounts and the meetings not yet started move to it',
          body: mergeUnitsSchema,
          response: { 200: unitSchema, ...errors },
        },
      },
      async (request) => units.merge(request.user!, { ...request.body, effectiveAt: when(request.body.effectiveAt) }, request.ip),
    );
  };
