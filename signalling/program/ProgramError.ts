const statuses = {
  NOT_FOUND: [404, 'Not Found'],
  CONFLICT: [409, 'Conflict'],
  INSUFFICIENT_STORAGE: [507, 'Insufficient Storage'],
} as const;

/** A program request refused: its HTTP status and reason (the error handler sends `statusCode`, `error`, `message`). */
export class ProgramError extends Error {
  readonly statusCode: number;
  readonly code: string;

  constructor(kind: keyof typeof statuses, message: string) {
    super(message);
    this.name = 'ProgramError';
    [this.statusCode, this.code] = statuses[kind];
  }
}
