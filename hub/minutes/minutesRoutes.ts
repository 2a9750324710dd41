import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meetingIdSchema } from '../../shared/meetings.js';
import { minutesContentSchema, minutesFormats, saveMinutesSchema } from '../../shared/minutes.js';
import { attachment, errorSchema, meetingFileName, only } from '../http/index.js';
import type { MeetingMinutes } from './MeetingMinutes.js';

const versionSchema = z.object({
  version: z.number(),
  status: z.enum(['DRAFT', 'FINAL']),
  content: minutesContentSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finalizedBy: z.string().nullable(),
  finalizedAt: z.string().nullable(),
  sha256: z.string().nullable(),
});
const params = z.object({ meetingId: meetingIdSchema });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const contentTypes = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/** A meeting's minutes (biên bản): the secretariat, the meeting's chair and the admin only. */
export const minutesRoutes =
  ({ minutes }: { minutes: MeetingMinutes }): FastifyPluginAsyncZod =>
  async (app) => {
    const writers = { access: only('ADMIN', 'SECRETARIAT', 'CHAIR') };

    app.get(
      '/api/meetings/:meetingId/minutes',
      {
        config: writers,
        schema: {
          tags: ['minutes'],
          summary: "The meeting's minutes, every version (the draft being written, the final ones locked with their SHA-256)",
          params,
          response: { 200: z.object({ meetingId: z.string(), versions: z.array(versionSchema) }), ...errors },
        },
      },
      async (request) => minutes.list(request.params.meetingId, request.user!),
    );

    app.post(
      '/api/meetings/:meetingId/minutes',
      {
        config: writers,
        schema: {
          tags: ['minutes'],
          summary:
            'Opens the next draft of a meeting that ended: the first drafted from what the hub recorded of it, a later one from the latest final version',
          params,
          response: { 201: versionSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await minutes.openDraft(request.params.meetingId, request.user!, request.ip)),
    );

    app.put(
      '/api/meetings/:meetingId/minutes/draft',
      {
        config: writers,
        schema: {
          tags: ['minutes'],
          summary: 'Saves the draft as edited',
          params,
          body: saveMinutesSchema,
          response: { 200: versionSchema, ...errors },
        },
      },
      async (request) => minutes.saveDraft(request.params.meetingId, request.user!, request.body.document),
    );

    app.post(
      '/api/meetings/:meetingId/minutes/finalize',
      {
        config: writers,
        schema: {
          tags: ['minutes'],
          summary: "The draft becomes final: locked, its SHA-256 kept and audited (the chair's conclusions must be written)",
          params,
          response: { 200: versionSchema, ...errors },
        },
      },
      async (request) => minutes.finalize(request.params.meetingId, request.user!, request.ip),
    );

    app.get(
      '/api/meetings/:meetingId/minutes/:version/export',
      {
        config: writers,
        schema: {
          tags: ['minutes'],
          summary: 'A version of the minutes as a Word document or a PDF (Nghị định 30/2020/NĐ-CP layout, Vietnamese fonts)',
          params: params.extend({ version: z.coerce.number<string>().int().positive() }),
          querystring: z.strictObject({ format: z.enum(minutesFormats) }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { file, minutes: version } = await minutes.export(
          request.params.meetingId,
          request.user!,
          request.params.version,
          request.query.format,
        );
        const draft = version.status === 'DRAFT' ? ' (dự thảo)' : '';
        const name = meetingFileName(
          `Biên bản v${version.version}${draft}`,
          { title: version.content.subject, at: new Date(version.content.header.date) },
          request.query.format,
        );
        return reply.header('content-type', contentTypes[request.query.format]).header('content-disposition', attachment(name)).send(file);
      },
    );
  };
