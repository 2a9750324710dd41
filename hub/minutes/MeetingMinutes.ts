import { said } from '../../shared/messages/index.js';
import type { MinutesContent, MinutesDto, MinutesVersionDto } from '../../shared/minutes.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { AuditLog } from '../audit/index.js';
import type { MeetingStore } from '../meetings/index.js';
import type { ReportService } from '../reports/index.js';
import { draftMinutes } from './draftMinutes.js';
import { MinutesError } from './MinutesError.js';
import { minutesDocx } from './minutesDocx.js';
import { minutesPdf } from './minutesPdf.js';
import type { MinutesStore } from './MinutesStore.js';

export interface MeetingMinutesDeps {
  minutes: MinutesStore;
  meetings: MeetingStore;
  reports: ReportService;
  audit: AuditLog;
  /** The province as the minutes' date line names it (PROVINCE_NAME). */
  province: string;
}

/**
 * The minutes of a meeting that ended: drafted by the hub from what it recorded, edited by the secretariat (or the
 * meeting's chair, or the admin), finalized with its SHA-256 in the audit trail, and exported as DOCX or PDF.
 */
export class MeetingMinutes {
  readonly #deps: MeetingMinutesDeps;

  constructor(deps: MeetingMinutesDeps) {
    this.#deps = deps;
  }

  async list(meetingId: string, user: AuthenticatedUser): Promise<MinutesDto> {
    await this.#deps.meetings.requireReadable(meetingId, user);
    return { meetingId, versions: await this.#deps.minutes.list(meetingId) };
  }

  async openDraft(meetingId: string, user: AuthenticatedUser, address?: string): Promise<MinutesVersionDto> {
    const meeting = await this.#deps.meetings.requireReadable(meetingId, user);
    if (meeting.status !== 'ENDED') throw new MinutesError('CONFLICT', 'minutes.meetingNotEnded');
    const draft = await this.#deps.minutes.openDraft(meetingId, user.id, async () => {
      const report = await this.#deps.reports.meeting(meetingId);
      if (!report) throw new MinutesError('NOT_FOUND', said('meeting.notFound', { id: meetingId }));
      return draftMinutes(report, { province: this.#deps.province, secretaryName: user.displayName, now: new Date() });
    });
    await this.#deps.audit.record(user, 'meeting.minutes.draft', `meeting:${meetingId}`, { version: draft.version }, address);
    return draft;
  }

  async saveDraft(meetingId: string, user: AuthenticatedUser, content: MinutesContent): Promise<MinutesVersionDto> {
    await this.#deps.meetings.requireReadable(meetingId, user);
    return this.#deps.minutes.saveDraft(meetingId, content);
  }

  async finalize(meetingId: string, user: AuthenticatedUser, address?: string): Promise<MinutesVersionDto> {
    await this.#deps.meetings.requireReadable(meetingId, user);
    const final = await this.#deps.minutes.finalize(meetingId, user.id, new Date());
    await this.#deps.audit.record(
      user,
      'meeting.minutes.finalize',
      `meeting:${meetingId}`,
      { version: final.version, sha256: final.sha256 },
      address,
    );
    return final;
  }

  async export(
    meetingId: string,
    user: AuthenticatedUser,
    version: number,
    format: 'docx' | 'pdf',
  ): Promise<{ file: Buffer; minutes: MinutesVersionDto }> {
    await this.#deps.meetings.requireReadable(meetingId, user);
    const minutes = await this.#deps.minutes.version(meetingId, version);
    return { file: format === 'docx' ? await minutesDocx(minutes.content) : await minutesPdf(minutes.content), minutes };
  }
}
