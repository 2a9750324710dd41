/**
 * A meeting's minutes (biên bản) as the hub drafts them from what happened and the secretariat finishes them, laid
 * out as Nghị định 30/2020/NĐ-CP lays out an administrative document: the issuing body over its parent, the number,
 * the national title and motto, place and date, the title; then the sections; then who signs.
 */
import { z } from 'zod';

const line = z.string().trim().max(500);
const paragraph = z.string().max(5000);

export const minutesSectionSchema = z.strictObject({
  heading: line,
  paragraphs: z.array(paragraph).max(200),
  /** A table of what happened (the sites present, the agenda, the speakers), its cells as text. */
  table: z.strictObject({ columns: z.array(line).min(1).max(12), rows: z.array(z.array(line).max(12)).max(500) }).nullable(),
});

export const minutesContentSchema = z.strictObject({
  header: z.strictObject({
    /** Tên cơ quan, tổ chức chủ quản, e.g. "ỦY BAN NHÂN DÂN TỈNH AN GIANG". */
    parentBody: line,
    /** Tên cơ quan ban hành, e.g. "VĂN PHÒNG". */
    issuingBody: line.min(1),
    /** Số, ký hiệu, e.g. "Số: 12/BB-VP". */
    number: line,
    /** Địa danh of the date line, e.g. "An Giang". */
    place: line.min(1),
    /** The date the minutes are made, YYYY-MM-DD. */
    date: z.iso.date(),
  }),
  title: line.min(1),
  subject: line.min(1),
  sections: z.array(minutesSectionSchema).max(30),
  signers: z.strictObject({ secretary: line, chair: line }),
});
export type MinutesContent = z.infer<typeof minutesContentSchema>;
export type MinutesSection = z.infer<typeof minutesSectionSchema>;

export const saveMinutesSchema = z.strictObject({ document: minutesContentSchema });

export const minutesFormats = ['docx', 'pdf'] as const;

/** One version of the minutes: a draft the secretariat edits, or a final one, locked with its SHA-256. */
export interface MinutesVersionDto {
  version: number;
  status: 'DRAFT' | 'FINAL';
  content: MinutesContent;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finalizedBy: string | null;
  finalizedAt: string | null;
  /** The final version's SHA-256 over its content (as `minutesDigest` computes it). */
  sha256: string | null;
}

export interface MinutesDto {
  meetingId: string;
  /** Every version, the latest last. */
  versions: MinutesVersionDto[];
}

/** The heading of the chair's conclusions: a final version must have them written. */
export const conclusionsHeading = 'Kết luận của chủ tọa';
