import { createHash } from 'node:crypto';
import type { Db } from '../../prisma/index.js';
import { said } from '../../shared/messages/index.js';
import { conclusionsHeading, minutesContentSchema, type MinutesContent, type MinutesVersionDto } from '../../shared/minutes.js';
import { MinutesError } from './MinutesError.js';

const versionInclude = { createdBy: { select: { displayName: true } }, finalizedBy: { select: { displayName: true } } } as const;

/**
 * The SHA-256 of a version's content, over its JSON with the keys in a fixed order: what the audit trail and the
 * final version keep, so a copy of the minutes can be checked against it.
 */
export function minutesDigest(content: MinutesContent): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(sorted(content)))
    .digest('hex');
}

/**
 * A meeting's minutes in the database, version by version: at most one draft, edited in place; a final version is
 * never written again (a change after it is the next version's draft, starting from it).
 */
export class MinutesStore {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async list(meetingId: string): Promise<MinutesVersionDto[]> {
    const rows = await this.#prisma.minutesVersion.findMany({ where: { meetingId }, orderBy: { version: 'asc' }, include: versionInclude });
    return rows.map(toDto);
  }

  /**
   * Opens the next draft: from `firstDraft()` when there is no version yet, else from the latest final version.
   * A draft already open is refused: it is the one to edit.
   */
  async openDraft(meetingId: string, userId: number, firstDraft: () => Promise<MinutesContent>): Promise<MinutesVersionDto> {
    const latest = await this.#prisma.minutesVersion.findFirst({ where: { meetingId }, orderBy: { version: 'desc' } });
    if (latest?.status === 'DRAFT') throw new MinutesError('CONFLICT', said('minutes.draftOpen', { version: latest.version }));
    const content = latest ? parseContent(latest.content) : await firstDraft();
    const row = await this.#prisma.minutesVersion.create({
      data: { meetingId, version: (latest?.version ?? 0) + 1, status: 'DRAFT', content: JSON.stringify(content), createdById: userId },
      include: versionInclude,
    });
    return toDto(row);
  }

  async saveDraft(meetingId: string, content: MinutesContent): Promise<MinutesVersionDto> {
    const draft = await this.#draft(meetingId);
    // only a draft still a draft is written: a finalize beside this save wins, and this save is refused
    const saved = await this.#prisma.minutesVersion.updateMany({
      where: { id: draft.id, status: 'DRAFT' },
      data: { content: JSON.stringify(content) },
    });
    if (saved.count === 0) throw new MinutesError('CONFLICT', 'minutes.noDraft');
    return toDto(await this.#prisma.minutesVersion.findUniqueOrThrow({ where: { id: draft.id }, include: versionInclude }));
  }

  /** The draft becomes final: locked, with its SHA-256. The chair's conclusions must be written. */
  async finalize(meetingId: string, userId: number, at: Date): Promise<MinutesVersionDto> {
    const draft = await this.#draft(meetingId);
    const content = parseContent(draft.content);
    const conclusions = content.sections.find((section) => section.heading === conclusionsHeading);
    if (!conclusions?.paragraphs.some((text) => text.trim().length > 0)) throw new MinutesError('INVALID', 'minutes.conclusionsMissing');
    const sha256 = minutesDigest(content);
    const finalized = await this.#prisma.minutesVersion.updateMany({
      where: { id: draft.id, status: 'DRAFT' },
      data: { status: 'FINAL', sha256, finalizedById: userId, finalizedAt: at },
    });
    if (finalized.count === 0) throw new MinutesError('CONFLICT', 'minutes.noDraft');
    return toDto(await this.#prisma.minutesVersion.findUniqueOrThrow({ where: { id: draft.id }, include: versionInclude }));
  }

  async version(meetingId: string, version: number): Promise<MinutesVersionDto> {
    const row = await this.#prisma.minutesVersion.findUnique({
      where: { meetingId_version: { meetingId, version } },
      include: versionInclude,
    });
    if (!row) throw new MinutesError('NOT_FOUND', said('minutes.versionNotFound', { version }));
    return toDto(row);
  }

  async #draft(meetingId: string) {
    const draft = await this.#prisma.minutesVersion.findFirst({ where: { meetingId, status: 'DRAFT' } });
    if (!draft) throw new MinutesError('CONFLICT', 'minutes.noDraft');
    return draft;
  }
}

/** What was stored is read with its schema: a version written by another release is checked, not trusted. */
function parseContent(text: string): MinutesContent {
  return minutesContentSchema.parse(JSON.parse(text));
}

function toDto(row: {
  version: number;
  status: 'DRAFT' | 'FINAL';
  content: string;
  createdBy: { displayName: string };
  createdAt: Date;
  updatedAt: Date;
  finalizedBy: { displayName: string } | null;
  finalizedAt: Date | null;
  sha256: string | null;
}): MinutesVersionDto {
  return {
    version: row.version,
    status: row.status,
    content: parseContent(row.content),
    createdBy: row.createdBy.displayName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finalizedBy: row.finalizedBy?.displayName ?? null,
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    sha256: row.sha256,
  };
}
