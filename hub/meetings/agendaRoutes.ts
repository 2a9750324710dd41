import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentFileNameSchema, putAgendaSchema } from '../../shared/agenda.js';
import { meetingIdSchema } from '../../shared/meetings.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { AuditLog } from '../audit/index.js';
import { errorSchema, inlineFile, only } from '../http/index.js';
import type { AgendaDocuments } from './AgendaDocuments.js';
import type { LiveMeetingRegistry } from './LiveMeetingsTypes.js';
import { MeetingRuleError } from './meetingRules.js';
import type { MeetingRecord, MeetingStore } from './MeetingStore.js';

const documentSchema = z.object({
  id: z.number(),
  fileName: z.string(),
  bytes: z.number(),
  pages: z.number(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});
const agendaSchema = z.object({
  meetingId: z.string(),
  documentMaxMegabytes: z.number(),
  items: z.array(
    z.object({
      id: z.number(),
      position: z.number(),
      title: z.string(),
      presenterCode: z.string().nullable(),
      presenterName: z.string().nullable(),
      plannedMinutes: z.number(),
      documents: z.array(documentSchema),
      spans: z.array(z.object({ startedAt: z.string(), endedAt: z.string().nullable() })),
      usedSeconds: z.number(),
    }),
  ),
});
const params = z.object({ meetingId: meetingIdSchema });
const itemParams = params.extend({ itemId: z.coerce.number<string>().int().positive() });
const documentParams = params.extend({ documentId: z.coerce.number<string>().int().positive() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema };

export interface AgendaRouteDeps {
  store: MeetingStore;
  documents: AgendaDocuments;
  meetings: LiveMeetingRegistry;
  audit: AuditLog;
}

/**
 * A meeting's agenda over REST: read by whoever may see the meeting (a bridge point only its own meetings'),
 * written by the secretariat, the meeting's chair or the admin; its documents uploaded as the PDF itself
 * (`Content-Type: application/pdf`, the name in `?fileName=`), read through before they are kept, and opened in
 * the page.
 */
export const agendaRoutes =
  ({ store, documents, meetings, audit }: AgendaRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const readers = { access: only('ADMIN', 'SECRETARIAT', 'CHAIR', 'BRIDGE_POINT') };
    const editors = { access: only('ADMIN', 'SECRETARIAT', 'CHAIR') };
    app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: documents.maxBytes * 2 }, (_request, body, done) =>
      done(null, body),
    );

    /** The meeting if this user may change its agenda: not once it ended or was called off. */
    async function editable(meetingId: string, user: AuthenticatedUser): Promise<MeetingRecord> {
      const meeting = await store.requireReadable(meetingId, user);
      if (meeting.status === 'ENDED' || meeting.status === 'CANCELLED') throw new MeetingRuleError('CONFLICT', 'agenda.meetingClosed');
      return meeting;
    }

    /** A meeting loaded on this node shows the agenda as it now is. */
    async function refresh(meetingId: string): Promise<void> {
      const live = await meetings.ifLoaded(meetingId);
      if (!live) return;
      live.agenda = await store.agenda.live(meetingId);
      meetings.changed(live);
    }

    app.get(
      '/api/meetings/:meetingId/agenda',
      {
        config: readers,
        schema: {
          tags: ['agenda'],
          summary: "The meeting's agenda: its items in order, each with its presenting site, planned minutes, documents and times",
          params,
          response: { 200: agendaSchema, ...errors },
        },
      },
      async (request) => {
        const meeting = await store.requireReadable(request.params.meetingId, request.user!);
        return { meetingId: meeting.id, items: await store.agenda.list(meeting.id), documentMaxMegabytes: documents.maxMegabytes };
      },
    );

    app.put(
      '/api/meetings/:meetingId/agenda',
      {
        config: editors,
        schema: {
          tags: ['agenda'],
          summary:
            'The whole agenda in its order: items with an id keep their documents and times, new ones have none, one left out is removed with its documents (not one that has been under way)',
          params,
          body: putAgendaSchema,
          response: { 200: agendaSchema, ...errors },
        },
      },
      async (request) => {
        const meeting = await editable(request.params.meetingId, request.user!);
        const { removedDocuments } = await store.agenda.replace(meeting, request.body.items);
        await Promise.all(removedDocuments.map((document) => documents.remove(document)));
        await audit.record(
          request.user!,
          'meeting.agenda.update',
          `meeting:${meeting.id}`,
          { items: request.body.items.map((item) => item.title), removedDocuments: removedDocuments.map((document) => document.fileName) },
          request.ip,
        );
        await refresh(meeting.id);
        return { meetingId: meeting.id, items: await store.agenda.list(meeting.id), documentMaxMegabytes: documents.maxMegabytes };
      },
    );

    app.post(
      '/api/meetings/:meetingId/agenda/:itemId/documents',
      {
        config: editors,
        schema: {
          tags: ['agenda'],
          summary: `A PDF for the item: the file itself as the body (Content-Type: application/pdf), its name in fileName; read through before it is kept`,
          params: itemParams,
          querystring: z.strictObject({ fileName: documentFileNameSchema }),
          response: { 201: documentSchema, ...errors, 415: errorSchema },
        },
      },
      async (request, reply) => {
        const meeting = await editable(request.params.meetingId, request.user!);
        if (!Buffer.isBuffer(request.body)) throw new MeetingRuleError('INVALID', 'agenda.documentNotPdf');
        const content = request.body;
        const checked = await documents.check(content);
        const document = await store.agenda.addDocument(
          meeting.id,
          request.params.itemId,
          { fileName: request.query.fileName, ...checked, uploadedById: request.user!.id, at: new Date() },
          (stored) => documents.write(stored, content),
        );
        await audit.record(
          request.user!,
          'meeting.document.upload',
          `meeting:${meeting.id}`,
          { itemId: request.params.itemId, fileName: document.fileName, bytes: checked.bytes, sha256: checked.sha256 },
          request.ip,
        );
        await refresh(meeting.id);
        return reply.code(201).send(document);
      },
    );

    app.get(
      '/api/meetings/:meetingId/documents/:documentId',
      {
        config: readers,
        schema: {
          tags: ['agenda'],
          summary: 'The document (PDF), to be shown in the page',
          params: documentParams,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const meeting = await store.requireReadable(request.params.meetingId, request.user!);
        const stored = await store.agenda.document(meeting.id, request.params.documentId);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', inlineFile(stored.fileName))
          .header('cache-control', 'private, no-cache')
          .send(fs.createReadStream(documents.file(stored)));
      },
    );

    app.delete(
      '/api/meetings/:meetingId/documents/:documentId',
      {
        config: editors,
        schema: { tags: ['agenda'], summary: 'Remove a document', params: documentParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        const meeting = await editable(request.params.meetingId, request.user!);
        const removed = await store.agenda.removeDocument(meeting.id, request.params.documentId);
        await documents.remove(removed);
        await audit.record(request.user!, 'meeting.document.remove', `meeting:${meeting.id}`, { fileName: removed.fileName }, request.ip);
        await refresh(meeting.id);
        return reply.code(204).send(null);
      },
    );
  };
