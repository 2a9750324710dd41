import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HubError } from '../../errors/index.js';

export const errorSchema = z.object({ statusCode: z.number(), error: z.string(), message: z.string() });

/**
 * The hub's named errors answer by their kind (`errorKinds`: status and reason, with their message; an
 * internal one says no more); fastify's own (validation) errors pass through; anything else is a 500.
 */
export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HubError && error.kind !== 'INTERNAL') {
    // e.g. what a camera answered: for the log, never for the caller
    if (error.logDetail) request.log.warn(error.logDetail, error.message);
    const { status, reason } = error.http;
    return reply
      .code(status)
      .headers(error.httpHeaders ?? {})
      .send({ statusCode: status, error: reason, message: error.message });
  }
  if (!(error instanceof HubError) && error.statusCode && error.statusCode < 500) {
    return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: error.code ?? 'Bad Request', message: error.message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
}
