import { HubError } from '../errors/index.js';

/** coturn did not come up (its last log lines say why) or is missing. */
export class TurnServerError extends HubError {
  constructor(message: string) {
    super('INTERNAL', message);
  }
}
