import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MediaServer } from '../../media-server/index.js';
import { errorSchema, only, refusal } from '../http/index.js';
import { meetingIdSchema } from '../../shared/meetings.js';
import { said } from '../../shared/messages/index.js';
import type { MeetingStore } from './MeetingStore.js';

const consumerCountsSchema = z.object({
  total: z.number(),
  video: z.number(),
  audio: z.number(),
  forwardedVideo: z.number(),
  forwardedAudio: z.number(),
});

export interface MeetingMediaRoutesDeps {
  media: MediaServer;
  store: MeetingStore;
}

/** Where a live meeting's media runs, for its chair and the admin. */
export const meetingMediaRoutes =
  ({ media, store }: MeetingMediaRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/meetings/:meetingId/media',
      {
        config: { access: only('CHAIR', 'ADMIN') },
        schema: {
          tags: ['meetings'],
          summary:
            'Where a live meeting runs (its routers, one per worker, and their peers) and the consumers the SFU holds and forwards for its viewers',
          params: z.object({ meetingId: meetingIdSchema }),
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
        if (!room) return reply.code(404).send(refusal(404, 'Not Found', said('meeting.notLive')));
        return room.stats();
      },
    );
  };
