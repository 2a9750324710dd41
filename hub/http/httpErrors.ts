import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { HubError, answerOf } from '../../errors/index.js';
import type { Role } from '../../shared/meetings.js';
import { said, saidOfIssues, type Said } from '../../shared/messages/index.js';

export const errorSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  /** What a person is told, in Vietnamese. */
  message: z.string(),
  /** The message's key in the hub's table (`shared/messages`), and its parameters: a page says it in its reader's language. */
  messageKey: z.string().optional(),
  messageParams: z.record(z.string(), z.unknown()).optional(),
});

/** A request whose body, query or path the route's schema refused: each field named as the form calls it. */
export class InvalidRequestError extends HubError {
  constructor(issues: readonly z.core.$ZodIssue[]) {
    super('INVALID', saidOfIssues(issues));
  }
}

/**
 * Routes validate with their zod schema, and a refusal is an InvalidRequestError. The input is kept in the
 * issues so a missing field is told apart from a wrong one.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    return result.success ? { value: result.data } : { error: new InvalidRequestError(result.error.issues) };
  };

/** What fastify's own refusals (a bad JSON body, one too large, a rate limit) tell the caller, by status. */
function saidOfStatus(status: number): Said {
  if (status === 404) return said('access.noRoute');
  if (status === 413) return said('access.tooLarge');
  if (status === 415) return said('access.unsupportedType');
  if (status === 429) return said('code.RATE_LIMITED');
  return said('code.INVALID_PAYLOAD');
}

/** A refusal's body: the status, its reason, and the message (Vietnamese text, key, parameters). */
export function refusal(status: number, reason: string, told: Said) {
  return { statusCode: status, error: reason, ...answerOf(told) };
}

/**
 * The hub's named errors answer by their kind (`errorKinds`: status and reason, with their message; an
 * internal one says no more); fastify's own refusals say theirs by status; anything else is a 500.
 */
export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HubError && error.kind !== 'INTERNAL') {
    // e.g. what a camera answered: for the log, never for the caller
    if (error.logDetail) request.log.warn(error.logDetail, error.message);
    const { status, reason } = error.http;
    return reply
      .code(status)
      .headers(error.httpHeaders ?? {})
      .send({ statusCode: status, error: reason, ...error.answer });
  }
  if (!(error instanceof HubError) && error.statusCode && error.statusCode < 500) {
    request.log.info({ code: error.code, detail: error.message }, 'request refused');
    return reply.code(error.statusCode).send(refusal(error.statusCode, error.code ?? 'Bad Request', saidOfStatus(error.statusCode)));
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(refusal(500, 'Internal Server Error', said('access.internal')));
}

/** "Only for a chair or admin account": the roles in words. */
export function saidRoles(roles: readonly Role[]): Said {
  return said('access.needsRole', { roles: roles.map((role) => said(`role.${role}`)) });
}
