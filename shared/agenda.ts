/**
 * A meeting's agenda (chương trình) as REST and the meeting's state present it: items in order, each with its
 * presenting site, its planned minutes and its documents (PDF); the chair takes the items up one at a time and
 * every page shows the one under way with its time used against its plan.
 */
import { z } from 'zod';

export const agendaItemInputSchema = z.strictObject({
  /** An item already on the agenda keeps its documents and its times; without an id it is new. */
  id: z.number().int().positive().optional(),
  title: z.string().trim().min(3).max(300),
  /** The site presenting the item (one of the meeting's invited sites), or none. */
  presenterCode: z.string().trim().min(1).max(64).nullable(),
  plannedMinutes: z.number().int().min(1).max(600),
});

/** The whole agenda at once, in its order: an item left out is removed with its documents. */
export const putAgendaSchema = z.strictObject({ items: z.array(agendaItemInputSchema).max(60) });

/** The chair takes an item up, or none (between items). */
export const takeAgendaItemSchema = z.strictObject({ itemId: z.number().int().positive().nullable() });

/** A document's name as uploaded (`?fileName=`): shown, and given back when it is opened. */
export const documentFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/\.pdf$/i);

export interface AgendaDocumentDto {
  id: number;
  fileName: string;
  bytes: number;
  pages: number;
  uploadedAt: string;
  uploadedBy: string;
}

/** One time an item was under way (an item taken up again has several). */
export interface AgendaSpanDto {
  startedAt: string;
  endedAt: string | null;
}

export interface AgendaItemDto {
  id: number;
  position: number;
  title: string;
  presenterCode: string | null;
  presenterName: string | null;
  plannedMinutes: number;
  documents: AgendaDocumentDto[];
  spans: AgendaSpanDto[];
  /** Seconds it has been under way, the span going on counted to now. */
  usedSeconds: number;
}

export interface AgendaDto {
  meetingId: string;
  items: AgendaItemDto[];
  /** The largest document the hub accepts (AGENDA_DOCUMENT_MAX_MB). */
  documentMaxMegabytes: number;
}

/** The agenda as every page of the meeting sees it in the meeting's state. */
export interface AgendaState {
  items: Array<{
    id: number;
    title: string;
    presenterCode: string | null;
    plannedMinutes: number;
    documentCount: number;
    /** Seconds used before the span under way (if it is this item's). */
    usedSeconds: number;
  }>;
  /**
   * The item under way and how long it has been so when the state was sent: a page adds the time since it received
   * the state (its own clock against its own clock, so a page whose clock is off still counts right).
   */
  current: { itemId: number; runningSeconds: number } | null;
}

export const emptyAgendaState = (): AgendaState => ({ items: [], current: null });
