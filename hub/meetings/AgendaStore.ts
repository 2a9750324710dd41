import type { Db, DbTransaction } from '../../prisma/index.js';
import type { z } from 'zod';
import type { AgendaDocumentDto, AgendaItemDto, AgendaState, agendaItemInputSchema } from '../../shared/agenda.js';
import { said } from '../../shared/messages/index.js';
import { MeetingRuleError } from './meetingRules.js';
import type { MeetingRecord } from './MeetingStore.js';

type AgendaItemInput = z.infer<typeof agendaItemInputSchema>;

const itemInclude = {
  presenter: { select: { code: true, name: true } },
  documents: { orderBy: { id: 'asc' }, include: { uploadedBy: { select: { displayName: true } } } },
  spans: { orderBy: { startedAt: 'asc' } },
} as const;

/** The agenda as the live meeting holds it: the state's items, and since when the item under way runs. */
export interface LiveAgenda {
  items: AgendaState['items'];
  current: { itemId: number; since: Date } | null;
}

/** A stored document: where its file is, under the meeting. */
export interface StoredDocument {
  id: number;
  meetingId: string;
  fileName: string;
  bytes: number;
}

/**
 * A meeting's agenda in the database: its items in order, their documents' records (the files are
 * `AgendaDocuments`'), and the spans each item was under way. An item that has been under way is part of what
 * happened: it may be renamed, never removed.
 */
export class AgendaStore {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async list(meetingId: string, now = new Date()): Promise<AgendaItemDto[]> {
    const rows = await this.#prisma.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' }, include: itemInclude });
    return rows.map((row) => ({
      id: row.id,
      position: row.position,
      title: row.title,
      presenterCode: row.presenter?.code ?? null,
      presenterName: row.presenter?.name ?? null,
      plannedMinutes: row.plannedMinutes,
      documents: row.documents.map((document): AgendaDocumentDto => ({
        id: document.id,
        fileName: document.fileName,
        bytes: document.bytes,
        pages: document.pages,
        uploadedAt: document.uploadedAt.toISOString(),
        uploadedBy: document.uploadedBy.displayName,
      })),
      spans: row.spans.map((span) => ({ startedAt: span.startedAt.toISOString(), endedAt: span.endedAt?.toISOString() ?? null })),
      usedSeconds: usedSeconds(row.spans, now),
    }));
  }

  /** What the live meeting holds of its agenda. */
  async live(meetingId: string): Promise<LiveAgenda> {
    const rows = await this.#prisma.agendaItem.findMany({
      where: { meetingId },
      orderBy: { position: 'asc' },
      include: { presenter: { select: { code: true } }, spans: true, _count: { select: { documents: true } } },
    });
    const open = rows.flatMap((row) =>
      row.spans.filter((span) => !span.endedAt).map((span) => ({ itemId: row.id, since: span.startedAt })),
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        title: row.title,
        presenterCode: row.presenter?.code ?? null,
        plannedMinutes: row.plannedMinutes,
        documentCount: row._count.documents,
        usedSeconds: usedSeconds(
          row.spans.filter((span) => span.endedAt),
          new Date(),
        ),
      })),
      current: open[0] ?? null,
    };
  }

  /**
   * The whole agenda in its new order. Items named by id keep their documents and times; an item left out is removed
   * with its documents (their records; the caller removes the files it is given back), unless it has been under way.
   */
  async replace(meeting: MeetingRecord, items: AgendaItemInput[]): Promise<{ removedDocuments: StoredDocument[] }> {
    for (const item of items)
      if (item.presenterCode !== null && !meeting.invitedIds.has(item.presenterCode))
        throw new MeetingRuleError('INVALID', said('agenda.presenterNotInvited', { code: item.presenterCode }));
    const ids = items.flatMap((item) => (item.id ? [item.id] : []));
    if (new Set(ids).size !== ids.length) throw new MeetingRuleError('INVALID', 'agenda.itemTwice');
    return this.#prisma.$transaction(async (tx) => {
      const existing = await tx.agendaItem.findMany({
        where: { meetingId: meeting.id },
        include: { documents: true, _count: { select: { spans: true } } },
      });
      const known = new Map(existing.map((row) => [row.id, row]));
      for (const id of ids) if (!known.has(id)) throw new MeetingRuleError('NOT_FOUND', said('agenda.itemNotFound', { id }));
      const removed = existing.filter((row) => !ids.includes(row.id));
      const held = removed.find((row) => row._count.spans > 0);
      if (held) throw new MeetingRuleError('CONFLICT', said('agenda.itemHeld', { title: held.title }));
      await tx.agendaItem.deleteMany({ where: { id: { in: removed.map((row) => row.id) } } });
      for (const [position, item] of items.entries()) {
        const data = {
          position,
          title: item.title,
          plannedMinutes: item.plannedMinutes,
          presenterId: item.presenterCode === null ? null : (meeting.invitedIds.get(item.presenterCode) ?? null),
        };
        if (item.id) await tx.agendaItem.update({ where: { id: item.id }, data });
        else await tx.agendaItem.create({ data: { ...data, meetingId: meeting.id } });
      }
      return {
        removedDocuments: removed.flatMap((row) =>
          row.documents.map((document) => ({ id: document.id, meetingId: meeting.id, fileName: document.fileName, bytes: document.bytes })),
        ),
      };
    });
  }

  /** The chair takes `itemId` up (or none): the span under way ends, the item's begins. */
  async take(meetingId: string, itemId: number | null, at: Date): Promise<void> {
    await this.#prisma.$transaction(async (tx) => {
      if (itemId !== null) {
        const item = await tx.agendaItem.findFirst({ where: { id: itemId, meetingId } });
        if (!item) throw new MeetingRuleError('NOT_FOUND', said('agenda.itemNotFound', { id: itemId }));
      }
      await AgendaStore.endSpans(tx, meetingId, at);
      if (itemId !== null) await tx.agendaItem.update({ where: { id: itemId }, data: { spans: { create: { startedAt: at } } } });
    });
  }

  /** The span under way ends (the chair moved on, or the meeting ended). */
  static endSpans(tx: DbTransaction | Db, meetingId: string, at: Date) {
    return tx.agendaSpan.updateMany({ where: { endedAt: null, item: { meetingId } }, data: { endedAt: at } });
  }

  async addDocument(
    meetingId: string,
    itemId: number,
    document: { fileName: string; bytes: number; pages: number; sha256: string; uploadedById: number; at: Date },
    write: (stored: StoredDocument) => Promise<void>,
  ): Promise<AgendaDocumentDto> {
    const item = await this.#prisma.agendaItem.findFirst({ where: { id: itemId, meetingId } });
    if (!item) throw new MeetingRuleError('NOT_FOUND', said('agenda.itemNotFound', { id: itemId }));
    // the record and its file together: a file that cannot be written leaves no record behind
    const row = await this.#prisma.$transaction(async (tx) => {
      const created = await tx.agendaDocument.create({
        data: {
          itemId,
          fileName: document.fileName,
          bytes: document.bytes,
          pages: document.pages,
          sha256: document.sha256,
          uploadedById: document.uploadedById,
          uploadedAt: document.at,
        },
        include: { uploadedBy: { select: { displayName: true } } },
      });
      await write({ id: created.id, meetingId, fileName: created.fileName, bytes: created.bytes });
      return created;
    });
    return {
      id: row.id,
      fileName: row.fileName,
      bytes: row.bytes,
      pages: row.pages,
      uploadedAt: row.uploadedAt.toISOString(),
      uploadedBy: row.uploadedBy.displayName,
    };
  }

  async document(meetingId: string, documentId: number): Promise<StoredDocument> {
    const row = await this.#prisma.agendaDocument.findFirst({ where: { id: documentId, item: { meetingId } } });
    if (!row) throw new MeetingRuleError('NOT_FOUND', said('agenda.documentNotFound', { id: documentId }));
    return { id: row.id, meetingId, fileName: row.fileName, bytes: row.bytes };
  }

  async removeDocument(meetingId: string, documentId: number): Promise<StoredDocument> {
    const stored = await this.document(meetingId, documentId);
    await this.#prisma.agendaDocument.delete({ where: { id: documentId } });
    return stored;
  }
}

function usedSeconds(spans: Array<{ startedAt: Date; endedAt: Date | null }>, now: Date): number {
  const ms = spans.reduce((sum, span) => sum + ((span.endedAt ?? now).getTime() - span.startedAt.getTime()), 0);
  return Math.max(0, Math.round(ms / 1000));
}
