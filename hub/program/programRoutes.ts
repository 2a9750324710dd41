import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meetingIdSchema } from '../../shared/meetings.js';
import { createOutputSchema, outputStates, programSources, setProgramSchema } from '../../shared/program.js';
import type { AuditLog } from '../audit/index.js';
import { attachment, errorSchema, meetingFileName, only, type HeavyExports } from '../http/index.js';
import type { MeetingStore } from '../meetings/index.js';
import type { ProgramService } from './ProgramService.js';

const outputSchema = z.object({
  id: z.string(),
  url: z.string(),
  state: z.enum(outputStates),
  error: z.string().nullable(),
  createdAt: z.string(),
});
const recordingSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  startedAt: z.string(),
  startedBy: z.string(),
  endedAt: z.string().nullable(),
  stoppedBy: z.string().nullable(),
  segments: z.number(),
  bytes: z.number(),
});
const programSchema = z.object({
  source: z.enum(programSources),
  showing: z.string().nullable(),
  showingPicture: z.boolean(),
  outputs: z.array(outputSchema),
  recording: z.object({ id: z.string(), startedAt: z.string(), startedBy: z.string(), paused: z.boolean() }).nullable(),
});
const outputIdSchema = z.string().regex(/^[0-9a-f]{8}$/);
const recordingIdSchema = z.string().regex(/^[0-9a-f]{12}$/);
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export interface ProgramRouteDeps {
  program: ProgramService;
  store: MeetingStore;
  audit: AuditLog;
  /** Recording downloads take a slot of the hub's heavy exports while they are joined and sent. */
  exports: HeavyExports;
}

/**
 * A meeting's program: what it shows, where the chair pushes it (RTMP, SRT), and its recordings,
 * started and stopped by the chair and downloaded by the secretariat as one MP4. Every change is audited.
 */
export const programRoutes =
  ({ program, store, audit, exports }: ProgramRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const chairs = { access: only('CHAIR', 'ADMIN') };
    const readers = { access: only('CHAIR', 'SECRETARIAT', 'ADMIN') };
    const params = z.object({ meetingId: meetingIdSchema });

    app.get(
      '/api/meetings/:meetingId/program',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary: 'What the program shows, its outputs and its recording now',
          params,
          response: { 200: programSchema, ...errors },
        },
      },
      async (request) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        return program.state(request.params.meetingId);
      },
    );
    app.put(
      '/api/meetings/:meetingId/program',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary:
            'What the program shows: the active speaker (default), the floor, the spotlight or the presentation (the speaker when it has nobody)',
          params,
          body: setProgramSchema,
          response: { 200: programSchema, ...errors },
        },
      },
      async (request) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        return program.setSource(request.params.meetingId, request.user!, request.body.source);
      },
    );

    app.post(
      '/api/meetings/:meetingId/outputs',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary: 'Push the program to an RTMP server or SRT listener while the meeting is live (reconnecting whenever the push ends)',
          params,
          body: createOutputSchema,
          response: { 201: outputSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { meetingId } = request.params;
        await store.requireChaired(meetingId, request.user!);
        const output = await program.addOutput(meetingId, request.user!, request.body.url);
        await audit.record(request.user!, 'meeting.output.create', `meeting:${meetingId}`, { id: output.id, url: output.url }, request.ip);
        return reply.code(201).send(output);
      },
    );
    app.get(
      '/api/meetings/:meetingId/outputs',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary: "The program's destinations and how each push goes",
          params,
          response: { 200: z.object({ outputs: z.array(outputSchema) }), ...errors },
        },
      },
      async (request) => {
        await store.requireChaired(request.params.meetingId, request.user!);
        return { outputs: await program.listOutputs(request.params.meetingId) };
      },
    );
    app.delete(
      '/api/meetings/:meetingId/outputs/:outputId',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary: 'Stop pushing to a destination',
          params: params.extend({ outputId: outputIdSchema }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { meetingId, outputId } = request.params;
        await store.requireChaired(meetingId, request.user!);
        await program.removeOutput(meetingId, outputId);
        await audit.record(request.user!, 'meeting.output.remove', `meeting:${meetingId}`, { id: outputId }, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/meetings/:meetingId/recordings',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary: 'Start recording the program (every page then shows that the meeting is recorded)',
          description:
            "507 while the recordings' disk has less than RECORDING_MIN_FREE_GB free. A recording under way pauses then (its `paused` is true on every page) and goes on by itself once there is room.",
          params,
          response: { 201: recordingSchema, ...errors, 507: errorSchema },
        },
      },
      async (request, reply) => {
        const { meetingId } = request.params;
        await store.requireChaired(meetingId, request.user!);
        const recording = await program.startRecording(meetingId, request.user!);
        await audit.record(request.user!, 'meeting.recording.start', `meeting:${meetingId}`, { id: recording.id }, request.ip);
        return reply.code(201).send(recording);
      },
    );
    app.post(
      '/api/meetings/:meetingId/recordings/:recordingId/stop',
      {
        config: chairs,
        schema: {
          tags: ['program'],
          summary: 'Stop the recording',
          params: params.extend({ recordingId: recordingIdSchema }),
          response: { 200: recordingSchema, ...errors },
        },
      },
      async (request) => {
        const { meetingId, recordingId } = request.params;
        await store.requireChaired(meetingId, request.user!);
        const recording = await program.stopRecording(meetingId, recordingId, request.user!);
        await audit.record(request.user!, 'meeting.recording.stop', `meeting:${meetingId}`, { id: recordingId }, request.ip);
        return recording;
      },
    );
    app.get(
      '/api/meetings/:meetingId/recordings',
      {
        config: readers,
        schema: {
          tags: ['program'],
          summary: "The meeting's recordings: who started and stopped each, its length on disk",
          params,
          response: { 200: z.object({ recordings: z.array(recordingSchema) }), ...errors },
        },
      },
      async (request) => {
        await store.requireReadable(request.params.meetingId, request.user!);
        return { recordings: await program.listRecordings(request.params.meetingId) };
      },
    );
    app.get(
      '/api/meetings/:meetingId/recordings/:recordingId/download',
      {
        config: readers,
        schema: {
          tags: ['program'],
          summary: 'The recording as one MP4 (H.264 + AAC, stream copy, index first); each download is audited',
          params: params.extend({ recordingId: recordingIdSchema }),
        },
      },
      async (request, reply) => {
        const { meetingId, recordingId } = request.params;
        const meeting = await store.requireReadable(meetingId, request.user!);
        const release = exports.acquire();
        if (!release) return exports.refuse(reply);
        let mp4: Awaited<ReturnType<typeof program.download>>;
        try {
          mp4 = await program.download(meetingId, recordingId);
          await audit.record(
            request.user!,
            'meeting.recording.download',
            `meeting:${meetingId}`,
            { id: recordingId, bytes: mp4.bytes },
            request.ip,
          );
        } catch (error) {
          release();
          throw error;
        }
        const stream = fs.createReadStream(mp4.file);
        stream.on('close', () => {
          mp4.dispose();
          release();
        });
        return reply
          .header('content-type', 'video/mp4')
          .header('content-length', String(mp4.bytes))
          .header(
            'content-disposition',
            attachment(meetingFileName('Ghi hình', { title: `${meeting.title} (${recordingId})`, at: new Date(mp4.startedAt) }, 'mp4')),
          )
          .send(stream);
      },
    );
  };
