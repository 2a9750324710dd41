import type { ErrorCode } from '../shared/protocol.js';

/**
 * What kind of refusal or failure an error is. This one table says what each kind becomes: its HTTP status
 * (and reason) in a REST answer, and its code in a socket's ack. `INTERNAL` shows no message to callers.
 */
export const errorKinds = {
  INVALID: { status: 400, reason: 'Bad Request', ack: 'INVALID_PAYLOAD' },
  UNAUTHORIZED: { status: 401, reason: 'Unauthorized', ack: 'UNAUTHENTICATED' },
  FORBIDDEN: { status: 403, reason: 'Forbidden', ack: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, reason: 'Not Found', ack: 'NOT_FOUND' },
  // a rule of the meeting's state: a socket has always been told FORBIDDEN
  CONFLICT: { status: 409, reason: 'Conflict', ack: 'FORBIDDEN' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, reason: 'Unsupported Media Type', ack: 'INVALID_PAYLOAD' },
  THROTTLED: { status: 429, reason: 'Too Many Requests', ack: 'RATE_LIMITED' },
  /** The media state refuses it (codecs in common, a dead worker): the caller may try again. */
  MEDIA: { status: 400, reason: 'Bad Request', ack: 'MEDIA_ERROR' },
  /** A device (a camera) failed, not the hub. */
  DEVICE: { status: 502, reason: 'Bad Gateway', ack: 'CAMERA_UNREACHABLE' },
  UNAVAILABLE: { status: 503, reason: 'Service Unavailable', ack: 'HUB_BUSY' },
  INSUFFICIENT_STORAGE: { status: 507, reason: 'Insufficient Storage', ack: 'INTERNAL' },
  INTERNAL: { status: 500, reason: 'Internal Server Error', ack: 'INTERNAL' },
} as const satisfies Record<string, { status: number; reason: string; ack: ErrorCode }>;

export type ErrorKind = keyof typeof errorKinds;

/**
 * The base of every named error of the hub: its `kind` decides how a caller is answered (`errorKinds`).
 * `ackCode` names a finer socket code than the kind's (NOT_INVITED, MEETING_LOCKED, …); `httpHeaders`
 * go with a REST answer (WHIP's `www-authenticate`, `retry-after`); `logDetail` is logged, never answered.
 */
export class HubError extends Error {
  readonly kind: ErrorKind;
  readonly ackCode?: ErrorCode;
  readonly httpHeaders?: Readonly<Record<string, string>>;
  readonly logDetail?: Readonly<Record<string, unknown>>;

  constructor(
    kind: ErrorKind,
    message: string,
    more: { ackCode?: ErrorCode; httpHeaders?: Record<string, string>; logDetail?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, more.cause === undefined ? undefined : { cause: more.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.ackCode = more.ackCode;
    this.httpHeaders = more.httpHeaders;
    this.logDetail = more.logDetail;
  }

  /** The HTTP status and reason of this error's kind. */
  get http(): { status: number; reason: string } {
    return errorKinds[this.kind];
  }

  /** What a socket's ack says: the finer code if any, else the kind's; an internal error's message stays here. */
  get ack(): { code: ErrorCode; message: string } {
    return { code: this.ackCode ?? errorKinds[this.kind].ack, message: this.kind === 'INTERNAL' ? 'internal error' : this.message };
  }
}
