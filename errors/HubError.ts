import type { ErrorCode } from '../shared/protocol.js';
import { isMessageKey, renderMessage, said, type MessageKey, type MessageParams, type Said } from '../shared/messages/index.js';

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

/** An answer's message: the Vietnamese text, and its key and parameters so a page can say it in its reader's language. */
export interface AnsweredMessage {
  message: string;
  messageKey: MessageKey;
  messageParams?: MessageParams;
}

export interface HubErrorOptions {
  ackCode?: ErrorCode;
  httpHeaders?: Record<string, string>;
  logDetail?: Record<string, unknown>;
  cause?: unknown;
}

/** What every internal failure tells a caller: the details are for the log. */
const internalFailure = said('code.INTERNAL');

/**
 * The base of every named error of the hub: its `kind` decides how a caller is answered (`errorKinds`), and
 * `said` what a person is told (a message of `shared/messages`; its Vietnamese text is the error's message).
 * Only an internal error, which no caller reads, may carry plain text for the log instead.
 * `ackCode` names a finer socket code than the kind's (NOT_INVITED, MEETING_LOCKED, …); `httpHeaders`
 * go with a REST answer (WHIP's `www-authenticate`, `retry-after`); `logDetail` is logged, never answered.
 */
export class HubError extends Error {
  readonly kind: ErrorKind;
  readonly said: Said;
  readonly ackCode?: ErrorCode;
  readonly httpHeaders?: Readonly<Record<string, string>>;
  readonly logDetail?: Readonly<Record<string, unknown>>;

  constructor(kind: 'INTERNAL', logText: string, more?: HubErrorOptions);
  constructor(kind: ErrorKind, message: Said | MessageKey, more?: HubErrorOptions);
  constructor(kind: ErrorKind, message: Said | string, more: HubErrorOptions = {}) {
    const told: Said | undefined = typeof message !== 'string' ? message : isMessageKey(message) ? said(message) : undefined;
    // plain text only for an internal error (the overloads): its words go to the log
    super(
      told ? renderMessage(told) : typeof message === 'string' ? message : '',
      more.cause === undefined ? undefined : { cause: more.cause },
    );
    this.name = new.target.name;
    this.kind = kind;
    this.said = kind === 'INTERNAL' || !told ? internalFailure : told;
    this.ackCode = more.ackCode;
    this.httpHeaders = more.httpHeaders;
    this.logDetail = more.logDetail;
  }

  /** The HTTP status and reason of this error's kind. */
  get http(): { status: number; reason: string } {
    return errorKinds[this.kind];
  }

  /** What a caller is told: an internal error's own message stays in the log. */
  get answer(): AnsweredMessage {
    return answerOf(this.said);
  }

  /** What a socket's ack says: the finer code if any, else the kind's. */
  get ack(): { code: ErrorCode } & AnsweredMessage {
    return { code: this.ackCode ?? errorKinds[this.kind].ack, ...this.answer };
  }
}

/** A message as an answer carries it. */
export function answerOf(told: Said): AnsweredMessage {
  return { message: renderMessage(told), messageKey: told.key, ...(told.params ? { messageParams: told.params } : {}) };
}
