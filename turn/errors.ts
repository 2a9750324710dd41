/** coturn did not come up (its last log lines say why) or is missing. */
export class TurnServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TurnServerError';
  }
}
