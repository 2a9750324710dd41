import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createMeetingSchema,
  hostLevels,
  meetingIdSchema,
  meetingStatuses,
  unitLevels,
  updateMeetingSchema,
} from '../../shared/meetings.js';
import type { AuditLog } from '../audit/index.js';
import { only, errorSchema } from '../http/index.js';
import type { MeetingLifecycle } from './MeetingLifecycle.js';
import { MeetingRuleError } from './meetingRules.js';
import { toMeetingDto, type MeetingStore } from './MeetingStore.js';
import { said } from '../../shared/messages/index.js';

const meetingSchema = z.object({
  id: z.string(),
  title: z.string(),
  hostLevel: z.enum(hostLevels),
  status: z.enum(meetingStatuses),
  scheduledStart: z.string(),
  scheduledEnd: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  locked: z.boolean(),
  chair: z.object({ username: z.string(), displayName: z.string() }),
  hostBridgePointCode: z.string(),
  invited: z.array(z.object({ code: z.string(), name: z.string(), level: z.enum(unitLevels) })),
  callRoomSystemsAtStart: z.boolean(),
});
const params = z.object({ meetingId: meetingIdSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export interface MeetingRouteDeps {
  store: MeetingStore;
  lifecycle: MeetingLifecycle;
  audit: AuditLog;
}

export const meetingRoutes =
  ({ store, lifecycle, audit }: MeetingRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const anyone = { access: 'signedIn' as const };
    const organisers = { access: only('CHAIR', 'SECRETARIAT', 'ADMIN') };

    app.post(
      '/api/meetings',
      {
        config: organisers,
        schema: {
          tags: ['meetings'],
          summary: 'Schedule a meeting and invite bridge points (the chair’s site is always invited)',
          body: createMeetingSchema,
          response: { 201: meetingSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(toMeetingDto(await store.create(request.body, request.user!))),
    );

    app.get(
      '/api/meetings',
      {
        config: anyone,
        schema: {
          tags: ['meetings'],
          summary: 'Meetings by scheduled start; a bridge point sees only those it is invited to',
          querystring: z.strictObject({
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
            status: z.enum(meetingStatuses).optional(),
          }),
          response: { 200: z.array(meetingSchema), ...errors },
        },
      },
      async (request) => {
        const { from, to, status } = request.query;
        const user = request.user!;
        const meetings = await store.list({
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
          status,
          bridgePointCode: user.role === 'BRIDGE_POINT' ? (user.bridgePointCode ?? '-') : undefined,
        });
        return meetings.map(toMeetingDto);
      },
    );

    app.get(
      '/api/meetings/:meetingId',
      { config: anyone, schema: { tags: ['meetings'], summary: 'One meeting', params, response: { 200: meetingSchema, ...errors } } },
      async (request) => {
        const meeting = await store.require(request.params.meetingId);
        const user = request.user!;
        if (user.role === 'BRIDGE_POINT' && !meeting.invitedIds.has(user.bridgePointCode ?? ''))
          throw new MeetingRuleError('NOT_FOUND', said('meeting.notFound', { id: meeting.id }));
        return toMeetingDto(meeting);
      },
    );

    app.post(
      '/api/meetings/:meetingId/start',
      {
        config: organisers,
        schema: {
          tags: ['meetings'],
          summary: 'Start: the lobby is admitted (the meeting’s chair or an admin)',
          params,
          response: { 200: meetingSchema, ...errors },
        },
      },
      async (request) => toMeetingDto(await lifecycle.startMeeting(request.params.meetingId, request.user!)),
    );

    app.post(
      '/api/meetings/:meetingId/end',
      {
        config: organisers,
        schema: {
          tags: ['meetings'],
          summary: 'End for everyone; attendance is closed (the meeting’s chair or an admin)',
          params,
          response: { 200: meetingSchema, ...errors },
        },
      },
      async (request) => toMeetingDto(await lifecycle.endMeeting(request.params.meetingId, request.user!)),
    );

    app.patch(
      '/api/meetings/:meetingId',
      {
        config: organisers,
        schema: {
          tags: ['meetings'],
          summary: 'Change the subject, time or invited bridge points of a meeting not started yet (its chair or an admin)',
          params,
          body: updateMeetingSchema,
          response: { 200: meetingSchema, ...errors },
        },
      },
      async (request) => {
        const changed = await lifecycle.rescheduleMeeting(request.params.meetingId, request.user!, request.body);
        await audit.record(request.user!, 'meeting.update', `meeting:${changed.id}`, { ...request.body }, request.ip);
        return toMeetingDto(changed);
      },
    );

    app.post(
      '/api/meetings/:meetingId/cancel',
      {
        config: organisers,
        schema: {
          tags: ['meetings'],
          summary: 'Cancel a meeting not started yet (its chair or an admin); it stays on record as cancelled',
          params,
          response: { 200: meetingSchema, ...errors },
        },
      },
      async (request) => {
        const cancelled = await lifecycle.cancelMeeting(request.params.meetingId, request.user!);
        await audit.record(request.user!, 'meeting.cancel', `meeting:${cancelled.id}`, { title: cancelled.title }, request.ip);
        return toMeetingDto(cancelled);
      },
    );

    app.get(
      '/api/meetings/:meetingId/actions',
      {
        config: organisers,
        schema: {
          tags: ['meetings'],
          summary: 'The chair’s actions (audit trail)',
          params,
          response: {
            200: z.array(
              z.object({
                at: z.string(),
                by: z.string(),
                action: z.string(),
                targetCode: z.string().nullable(),
                detail: z.string().nullable(),
              }),
            ),
            ...errors,
          },
        },
      },
      async (request) => {
        await store.require(request.params.meetingId);
        return store.chairActions.list(request.params.meetingId);
      },
    );
  };
