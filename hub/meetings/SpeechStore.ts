import type { Db } from '../../prisma/index.js';
import type { SpeechDto } from '../../shared/speaking.js';
import type { LiveSpeech } from './LiveMeeting.js';

/** The meeting's speeches: each site the chair called, with its delegate, topic, agenda item, limit and times. */
export class SpeechStore {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  /** A speech begins (the one under way, if any, ends at the same moment). */
  async begin(
    meetingId: string,
    speech: Omit<LiveSpeech, 'since'> & { bridgePointId: number; agendaItemId: number | null },
    at: Date,
  ): Promise<LiveSpeech> {
    const started = await this.#prisma.$transaction(async (tx) => {
      await tx.speech.updateMany({ where: { meetingId, endedAt: null }, data: { endedAt: at } });
      return tx.speech.create({
        data: {
          meetingId,
          bridgePointId: speech.bridgePointId,
          delegateName: speech.delegateName,
          topic: speech.topic,
          agendaItemId: speech.agendaItemId,
          limitSeconds: speech.limitSeconds,
          startedAt: at,
        },
      });
    });
    return {
      code: speech.code,
      topic: speech.topic,
      delegateName: speech.delegateName,
      limitSeconds: speech.limitSeconds,
      since: started.startedAt,
    };
  }

  async end(meetingId: string, at: Date): Promise<void> {
    await this.#prisma.speech.updateMany({ where: { meetingId, endedAt: null }, data: { endedAt: at } });
  }

  /** The speech under way, as a live meeting holds it (after a restart). */
  async current(meetingId: string): Promise<LiveSpeech | null> {
    const row = await this.#prisma.speech.findFirst({
      where: { meetingId, endedAt: null },
      include: { bridgePoint: { select: { code: true } } },
    });
    return (
      row && {
        code: row.bridgePoint.code,
        topic: row.topic,
        delegateName: row.delegateName,
        limitSeconds: row.limitSeconds,
        since: row.startedAt,
      }
    );
  }

  /** Every speech of the meeting in the order given. */
  async list(meetingId: string): Promise<SpeechDto[]> {
    const rows = await this.#prisma.speech.findMany({
      where: { meetingId },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      include: { bridgePoint: { select: { code: true, name: true } }, agendaItem: { select: { title: true } } },
    });
    return rows.map((row) => ({
      code: row.bridgePoint.code,
      siteName: row.bridgePoint.name,
      delegateName: row.delegateName,
      topic: row.topic,
      agendaItemTitle: row.agendaItem?.title ?? null,
      limitSeconds: row.limitSeconds,
      startedAt: row.startedAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
    }));
  }
}
