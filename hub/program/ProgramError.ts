import { HubError } from '../../errors/index.js';
import type { MessageKey, Said } from '../../shared/messages/index.js';

/** A program request refused (507: the recordings' disk is nearly full). */
export class ProgramError extends HubError {
  constructor(kind: 'NOT_FOUND' | 'CONFLICT' | 'INSUFFICIENT_STORAGE', message: Said | MessageKey) {
    super(kind, message);
  }
}
