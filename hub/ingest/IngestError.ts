import { HubError, type ErrorKind } from '../../errors/index.js';
import type { MessageKey, Said } from '../../shared/messages/index.js';

/** A feed's refusals by the hub's error kinds; WHIP's answers carry how to authenticate, and when to push again. */
const refusals = {
  BAD_REQUEST: { kind: 'INVALID' },
  UNAUTHORIZED: { kind: 'UNAUTHORIZED', httpHeaders: { 'www-authenticate': 'Bearer' } },
  NOT_FOUND: { kind: 'NOT_FOUND' },
  CONFLICT: { kind: 'CONFLICT' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'UNSUPPORTED_MEDIA_TYPE' },
  /** The meeting is not live yet: WHIP's "try again later". */
  NOT_LIVE: { kind: 'UNAVAILABLE', httpHeaders: { 'retry-after': '10' } },
} as const satisfies Record<string, { kind: ErrorKind; httpHeaders?: Record<string, string> }>;

/** A feed request refused. */
export class IngestError extends HubError {
  constructor(refusal: keyof typeof refusals, message: Said | MessageKey) {
    const { kind, ...more } = refusals[refusal];
    super(kind, message, more);
  }
}
