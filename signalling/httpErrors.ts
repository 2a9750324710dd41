import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CameraHasEvidenceError,
  CameraNotFoundError,
  CameraSnapshotError,
  CameraUnreachableError,
  CameraUriRefusedError,
  EvidenceLockNotFoundError,
  EvidenceLockNotYoursError,
  NoRecordingError,
} from '../camera-gateway/index.js';
import { IngestError } from './ingest/IngestError.js';
import { MeetingRuleError } from './meetings/MeetingStore.js';
import { ProgramError } from './program/ProgramError.js';
import { DestinationRefusedError } from './DestinationPolicy.js';

export const errorSchema = z.object({ statusCode: z.number(), error: z.string(), message: z.string() });

const statusOf = { NOT_FOUND: 404, INVALID: 400, FORBIDDEN: 403, CONFLICT: 409 } as const;
const reason = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' } as const;

/** Meeting rule refusals become 4xx with their message; fastify's own (validation) errors pass through. */
export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof MeetingRuleError) {
    const statusCode = statusOf[error.kind];
    return reply.code(statusCode).send({ statusCode, error: reason[statusCode], message: error.message });
  }
  if (error instanceof CameraNotFoundError || error instanceof NoRecordingError || error instanceof EvidenceLockNotFoundError)
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: error.message });
  if (error instanceof DestinationRefusedError)
    return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: error.message });
  if (error instanceof EvidenceLockNotYoursError)
    return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: error.message });
  if (error instanceof CameraHasEvidenceError) return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: error.message });
  // The camera, not this server, failed: a bad gateway.
  if (error instanceof CameraUnreachableError) {
    request.log.warn({ deviceDetail: (error as CameraUnreachableError).deviceDetail }, error.message);
    return reply.code(502).send({ statusCode: 502, error: 'Bad Gateway', message: error.message });
  }
  // a short code only: what the device answered stays out of the response
  if (error instanceof CameraSnapshotError || error instanceof CameraUriRefusedError)
    return reply.code(502).send({ statusCode: 502, error: 'Bad Gateway', message: error.message });
  if (error instanceof IngestError) {
    // WHIP: how to authenticate, and when to push again
    const headers = { UNAUTHORIZED: { 'www-authenticate': 'Bearer' }, NOT_LIVE: { 'retry-after': '10' } }[error.kind as string] ?? {};
    return reply.code(error.statusCode).headers(headers).send({ statusCode: error.statusCode, error: error.code, message: error.message });
  }
  // refusals of the program, 507 (the recordings' disk nearly full) among them
  if (error instanceof ProgramError)
    return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: error.code, message: error.message });
  if (error.statusCode && error.statusCode < 500) {
    return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: error.code ?? 'Bad Request', message: error.message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
}
