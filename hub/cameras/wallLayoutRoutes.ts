import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../prisma/index.js';
import { defaultWallLayout, wallLayoutSchema, type WallLayoutDto } from '../../shared/cameras.js';
import { only, errorSchema } from '../http/index.js';

/** Each supervision station keeps its own wall: how many tiles, grouped by unit or not, the carousel's pace. */
export const wallLayoutRoutes =
  ({ prisma }: { prisma: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    const stations = { access: only('SUPERVISOR', 'ADMIN') };
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

    app.get(
      '/api/wall/layout',
      {
        config: stations,
        schema: {
          tags: ['cameras'],
          summary: "This station's wall layout (the default until it saves one)",
          response: { 200: wallLayoutSchema, ...errors },
        },
      },
      async (request): Promise<WallLayoutDto> => {
        const row = await prisma.wallLayout.findUnique({ where: { username: request.user!.username } });
        return row ? toDto(row) : defaultWallLayout;
      },
    );

    app.put(
      '/api/wall/layout',
      {
        config: stations,
        schema: {
          tags: ['cameras'],
          summary:
            "Save this station's wall layout: 1/4/9/16/36 tiles, cameras grouped by unit, a carousel through the pages every N s (0: off)",
          body: wallLayoutSchema,
          response: { 200: wallLayoutSchema, ...errors },
        },
      },
      async (request): Promise<WallLayoutDto> => {
        const username = request.user!.username;
        const row = await prisma.wallLayout.upsert({ where: { username }, create: { username, ...request.body }, update: request.body });
        return toDto(row);
      },
    );
  };

function toDto(row: { tiles: number; groupByUnit: boolean; carouselSeconds: number }): WallLayoutDto {
  return { tiles: row.tiles as WallLayoutDto['tiles'], groupByUnit: row.groupByUnit, carouselSeconds: row.carouselSeconds };
}
