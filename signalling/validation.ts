import type { z } from 'zod';
import { MediaNotFoundError, MediaStateError, NoLiveWorkerError } from '../media-server/index.js';
import type { AckResult, ErrorCode } from '../shared/protocol.js';
import { CameraNotFoundError, CameraUnreachableError, CameraUriRefusedError } from '../camera-gateway/index.js';
import { MeetingRuleError } from './meetings/MeetingStore.js';

/** A refusal with a code the client can translate; anything else becomes INTERNAL. */
export class SignallingError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'SignallingError';
    this.code = code;
  }
}

export function toAckError(error: unknown): AckResult<never> {
  if (error instanceof SignallingError) return { ok: false, error: { code: error.code, message: error.message } };
  if (error instanceof MeetingRuleError) {
    const code: ErrorCode = error.kind === 'NOT_FOUND' ? 'NOT_FOUND' : error.kind === 'INVALID' ? 'INVALID_PAYLOAD' : 'FORBIDDEN';
    return { ok: false, error: { code, message: error.message } };
  }
  if (error instanceof CameraNotFoundError) return { ok: false, error: { code: 'NOT_FOUND', message: error.message } };
  if (error instanceof CameraUnreachableError || error instanceof CameraUriRefusedError)
    return { ok: false, error: { code: 'CAMERA_UNREACHABLE', message: error.message } };
  if (error instanceof MediaNotFoundError) return { ok: false, error: { code: 'NOT_FOUND', message: error.message } };
  if (error instanceof NoLiveWorkerError) return { ok: false, error: { code: 'MEDIA_ERROR', message: error.message } };
  if (error instanceof MediaStateError) return { ok: false, error: { code: 'MEDIA_ERROR', message: error.message } };
  // mediasoup's own validation errors (bad RTP parameters, DTLS fingerprints) are the caller's fault too.
  if (error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError')) {
    return { ok: false, error: { code: 'MEDIA_ERROR', message: error.message } };
  }
  return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
}

export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
    throw new SignallingError('INVALID_PAYLOAD', detail);
  }
  return result.data;
}
