const statuses = {
  BAD_REQUEST: [400, 'Bad Request'],
  UNAUTHORIZED: [401, 'Unauthorized'],
  NOT_FOUND: [404, 'Not Found'],
  CONFLICT: [409, 'Conflict'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported Media Type'],
  /** The meeting is not live yet: WHIP's "try again later". */
  NOT_LIVE: [503, 'Service Unavailable'],
} as const;

/** A feed request refused: its HTTP status and reason (the error handler sends `statusCode`, `code`, `message`). */
export class IngestError extends Error {
  readonly kind: keyof typeof statuses;
  readonly statusCode: number;
  readonly code: string;

  constructor(kind: keyof typeof statuses, message: string) {
    super(message);
    this.name = 'IngestError';
    this.kind = kind;
    [this.statusCode, this.code] = statuses[kind];
  }
}
