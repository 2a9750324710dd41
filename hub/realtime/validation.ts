import type { z } from 'zod';
import { HubError, answerOf, type ErrorKind } from '../../errors/index.js';
import { said, saidOfIssues, type MessageKey, type Said } from '../../shared/messages/index.js';
import type { AckResult, ErrorCode } from '../../shared/protocol.js';

/** The kind of a socket refusal by its code: the meeting's own rules (NOT_INVITED, MEETING_LOCKED, …) forbid. */
const kindOfCode: Partial<Record<ErrorCode, ErrorKind>> = {
  INVALID_PAYLOAD: 'INVALID',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  RATE_LIMITED: 'THROTTLED',
  HUB_BUSY: 'UNAVAILABLE',
  // "try again": said with its reason
  INTERNAL: 'UNAVAILABLE',
};

/** A refusal over a socket with a code the client can translate. */
export class SignallingError extends HubError {
  constructor(code: ErrorCode, message: Said | MessageKey) {
    super(kindOfCode[code] ?? 'FORBIDDEN', message, { ackCode: code });
  }
}

export function toAckError(error: unknown): AckResult<never> {
  if (error instanceof HubError) return { ok: false, error: error.ack };
  // mediasoup's own validation errors (bad RTP parameters, DTLS fingerprints) are the caller's fault too.
  if (error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError')) {
    return { ok: false, error: { code: 'MEDIA_ERROR', ...answerOf(said('media.refused')) } };
  }
  return { ok: false, error: { code: 'INTERNAL', ...answerOf(said('code.INTERNAL')) } };
}

export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload, { reportInput: true });
  if (!result.success) throw new SignallingError('INVALID_PAYLOAD', saidOfIssues(result.error.issues));
  return result.data;
}
