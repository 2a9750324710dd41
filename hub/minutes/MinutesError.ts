import { HubError } from '../../errors/index.js';
import type { MessageKey, Said } from '../../shared/messages/index.js';

/** A refusal of the minutes: no draft to edit, one already open, conclusions missing, a version not there. */
export class MinutesError extends HubError {
  declare readonly kind: 'NOT_FOUND' | 'INVALID' | 'CONFLICT' | 'FORBIDDEN';
  constructor(kind: MinutesError['kind'], message: Said | MessageKey) {
    super(kind, message);
  }
}
