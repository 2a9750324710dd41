import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubError } from '../../errors/index.js';
import { bridgePointCodeSchema } from '../../shared/meetings.js';
import { roomSystemSchema, type RoomSystemDto } from '../../shared/roomSystems.js';
import type { Registration } from '../../sip/index.js';
import { errorSchema, only } from '../http/index.js';
import type { RoomSystemDirectory, RoomSystemRecord } from './RoomSystemDirectory.js';
import { said } from '../../shared/messages/index.js';

const roomSystemDtoSchema = z.object({
  bridgePointCode: z.string(),
  address: z.string().nullable(),
  username: z.string(),
  allowPlainRtp: z.boolean(),
  registration: z
    .object({ contact: z.string(), sourceAddress: z.string(), expiresAt: z.string(), userAgent: z.string().nullable() })
    .nullable(),
});
const params = z.object({ code: bridgePointCodeSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export interface RoomSystemRoutesDeps {
  roomSystems: RoomSystemDirectory;
  /** Where an account registered, while it lasts (none with SIP=off). */
  registration: (username: string) => Registration | undefined;
}

/** The admin pairs a bridge point with its room system: the SIP account it registers and calls with, and where it is called. */
export const roomSystemRoutes =
  ({ roomSystems, registration }: RoomSystemRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const admins = { access: only('ADMIN') };
    const dto = (record: RoomSystemRecord): RoomSystemDto => {
      const bound = registration(record.username);
      return {
        ...record,
        registration: bound
          ? {
              contact: bound.contact,
              sourceAddress: bound.source.address,
              expiresAt: bound.expiresAt.toISOString(),
              userAgent: bound.userAgent ?? null,
            }
          : null,
      };
    };
    const none = (code: string) => new HubError('NOT_FOUND', said('roomSystem.none', { code }));
    app.get(
      '/api/room-systems',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: "Every bridge point's room system, with where it registered from",
          response: { 200: z.array(roomSystemDtoSchema), 401: errorSchema, 403: errorSchema },
        },
      },
      async () => (await roomSystems.list()).map(dto),
    );
    app.get(
      '/api/bridge-points/:code/room-system',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: "A bridge point's room system: its SIP account (never its password), its address, and where it registered from",
          params,
          response: { 200: roomSystemDtoSchema, ...errors },
        },
      },
      async (request) => {
        const record = await roomSystems.forBridgePoint(request.params.code);
        if (!record) throw none(request.params.code);
        return dto(record);
      },
    );
    app.put(
      '/api/bridge-points/:code/room-system',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary:
            "Pairs a bridge point with its room system (or changes it): the SIP account it registers and calls in with (the password sealed at rest; left out, the stored one is kept), its address for the hub's calls, and whether plain RTP is taken from it (`allowPlainRtp`)",
          params,
          body: roomSystemSchema,
          response: { 200: roomSystemDtoSchema, ...errors },
        },
      },
      async (request) => dto(await roomSystems.set(request.user!, request.params.code, request.body, request.ip)),
    );
    app.delete(
      '/api/bridge-points/:code/room-system',
      {
        config: admins,
        schema: {
          tags: ['bridge points'],
          summary: 'Unpairs the room system: its account can no longer register or call in as the bridge point',
          params,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        if (!(await roomSystems.remove(request.user!, request.params.code, request.ip))) throw none(request.params.code);
        return reply.code(204).send(null);
      },
    );
  };
