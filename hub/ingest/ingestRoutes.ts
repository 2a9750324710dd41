import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bridgePointCodeSchema, createIngestSchema, ingestKinds, meetingIdSchema } from '../../shared/meetings.js';
import type { AuditLog } from '../audit/index.js';
import { only, errorSchema } from '../http/index.js';
import type { MeetingStore } from '../meetings/index.js';
import type { IngestService } from './IngestService.js';

const ingestSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(ingestKinds),
  url: z.string(),
  createdAt: z.string(),
  connected: z.boolean(),
});
const ingestIdSchema = z.string().regex(/^[0-9a-f]{8}$/);
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export interface IngestRouteDeps {
  ingests: IngestService;
  store: MeetingStore;
  audit: AuditLog;
}

/** The address encoders reach this hub at, as the caller named it (behind a proxy: its forwarded host). */
const addressOf = (request: FastifyRequest) => ({ baseUrl: `${request.protocol}://${request.host}`, hostname: request.hostname });
const bearerOf = (request: FastifyRequest) => /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];

/**
 * Feeds from outside a meeting. The chair (or the admin) adds, lists and removes them; an encoder
 * pushes over WHIP (RFC 9725) with the feed's bearer token: POST its SDP offer, DELETE the session.
 */
export const ingestRoutes =
  ({ ingests, store, audit }: IngestRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const chairs = { access: only('CHAIR', 'ADMIN') };
    const encoders = { access: 'ingestToken' as const };
    app.addContentTypeParser('application/sdp', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.post(
      '/api/meetings/:meetingId/ingests',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary: "Add a feed from outside (e.g. the Government's meeting) as a site of the meeting; the token is shown this once",
          params: z.object({ meetingId: meetingIdSchema }),
          body: createIngestSchema,
          response: { 201: ingestSchema.extend({ token: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        const created = await ingests.create(request.params.meetingId, request.user!, request.body, addressOf(request));
        await audit.record(
          request.user!,
          'meeting.ingest.create',
          `meeting:${request.params.meetingId}`,
          { id: created.id, name: created.name, kind: created.kind },
          request.ip,
        );
        return reply.code(201).send(created);
      },
    );
    app.get(
      '/api/meetings/:meetingId/dial-in',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary:
            'How a SIP room system or phone calls into the meeting: its conference ID, PIN and SIP address (sip:<id>@hub; the PIN after * in the address, or keyed when asked)',
          params: z.object({ meetingId: meetingIdSchema }),
          response: { 200: z.object({ conferenceId: z.string(), pin: z.string(), sipUri: z.string() }), ...errors },
        },
      },
      async (request) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        return ingests.dialIn(request.params.meetingId);
      },
    );
    app.delete(
      '/api/meetings/:meetingId/dial-in/calls/:callerId',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary: 'Hang up a room system or phone that dialled into the meeting (its id as the meeting state’s feeds show it)',
          params: z.object({ meetingId: meetingIdSchema, callerId: ingestIdSchema }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        ingests.hangUpCaller(request.params.meetingId, request.params.callerId);
        await audit.record(
          request.user!,
          'meeting.dialIn.hangUp',
          `meeting:${request.params.meetingId}`,
          { id: request.params.callerId },
          request.ip,
        );
        return reply.code(204).send(null);
      },
    );
    const calling = z.object({ calling: z.array(z.string()) });
    app.post(
      '/api/meetings/:meetingId/room-systems/call',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary:
            "The hub calls every invited site's room system that is not in the meeting (as an MCU calls its endpoints); a busy or unanswered one is called again, and each site's `dialOut` in the meeting state says how it goes",
          params: z.object({ meetingId: meetingIdSchema }),
          response: { 202: calling, ...errors },
        },
      },
      async (request, reply) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        const codes = await ingests.callRoomSystems(request.params.meetingId);
        await audit.record(request.user!, 'meeting.roomSystem.call', `meeting:${request.params.meetingId}`, { codes }, request.ip);
        return reply.code(202).send({ calling: codes });
      },
    );
    app.post(
      '/api/meetings/:meetingId/room-systems/:code/call',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary: "The hub calls the site's room system (where it registered, else its address); answered, it is the site in the meeting",
          params: z.object({ meetingId: meetingIdSchema, code: bridgePointCodeSchema }),
          response: { 202: calling, ...errors },
        },
      },
      async (request, reply) => {
        const { meetingId, code } = request.params;
        await store.requireChaired(meetingId, request.user!);
        const codes = await ingests.callRoomSystems(meetingId, code);
        await audit.record(request.user!, 'meeting.roomSystem.call', `meeting:${meetingId}`, { codes }, request.ip);
        return reply.code(202).send({ calling: codes });
      },
    );
    app.delete(
      '/api/meetings/:meetingId/room-systems/:code/call',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary: "Stop calling the site's room system, or hang up the hub's call to it",
          params: z.object({ meetingId: meetingIdSchema, code: bridgePointCodeSchema }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { meetingId, code } = request.params;
        await store.requireChaired(meetingId, request.user!);
        ingests.hangUpRoomSystem(meetingId, code);
        await audit.record(request.user!, 'meeting.roomSystem.hangUp', `meeting:${meetingId}`, { code }, request.ip);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/meetings/:meetingId/ingests',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary: "The meeting's feeds from outside, and whether each one's encoder sends now",
          params: z.object({ meetingId: meetingIdSchema }),
          response: { 200: z.object({ ingests: z.array(ingestSchema) }), ...errors },
        },
      },
      async (request) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        return { ingests: await ingests.list(request.params.meetingId, addressOf(request)) };
      },
    );
    app.delete(
      '/api/meetings/:meetingId/ingests/:ingestId',
      {
        config: chairs,
        schema: {
          tags: ['feeds'],
          summary: 'Remove a feed: its encoder is disconnected and its token stops working',
          params: z.object({ meetingId: meetingIdSchema, ingestId: ingestIdSchema }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        await ingests.remove(request.params.meetingId, request.params.ingestId);
        await audit.record(
          request.user!,
          'meeting.ingest.remove',
          `meeting:${request.params.meetingId}`,
          { id: request.params.ingestId },
          request.ip,
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/ingests/:ingestId/whip',
      {
        config: encoders,
        schema: {
          tags: ['feeds'],
          summary: "WHIP: an encoder's SDP offer (application/sdp, Authorization: Bearer <token>) → 201, Location, the SDP answer",
          params: z.object({ ingestId: ingestIdSchema }),
        },
      },
      async (request, reply) => {
        const sdp = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/sdp';
        const offer = sdp && typeof request.body === 'string' ? request.body : undefined;
        const { sessionId, answer } = await ingests.publish(request.params.ingestId, bearerOf(request), offer);
        return reply
          .code(201)
          .header('location', `/api/ingests/${request.params.ingestId}/whip/${sessionId}`)
          .type('application/sdp')
          .send(answer);
      },
    );
    app.delete(
      '/api/ingests/:ingestId/whip/:sessionId',
      {
        config: encoders,
        schema: {
          tags: ['feeds'],
          summary: 'WHIP: the encoder ends its session (the feed leaves the meeting)',
          params: z.object({ ingestId: ingestIdSchema, sessionId: z.uuid() }),
        },
      },
      async (request, reply) => {
        await ingests.unpublish(request.params.ingestId, bearerOf(request), request.params.sessionId);
        return reply.code(200).send();
      },
    );
  };
