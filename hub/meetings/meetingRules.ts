import { HubError } from '../../errors/index.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { MessageKey, Said } from '../../shared/messages/index.js';

/** A refusal of a meeting operation (see `errorKinds` for its HTTP status and socket code). */
export class MeetingRuleError extends HubError {
  declare readonly kind: 'NOT_FOUND' | 'INVALID' | 'FORBIDDEN' | 'CONFLICT';
  constructor(kind: MeetingRuleError['kind'], message: Said | MessageKey) {
    super(kind, message);
  }
}

/** Only the meeting's own chair (or the admin) may run it: start, end, reschedule, its feeds. */
export function assertChair(record: { chairId: number }, user: AuthenticatedUser): void {
  if (user.role !== 'ADMIN' && record.chairId !== user.id) throw new MeetingRuleError('FORBIDDEN', 'meeting.chairOnly');
}
