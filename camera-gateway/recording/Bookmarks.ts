import type { Db } from '../../prisma/index.js';
import { BookmarkNotFoundError, BookmarkNotYoursError } from '../errors.js';

export interface BookmarkRow {
  id: number;
  cameraId: number;
  from: Date;
  to: Date;
  note: string;
  createdBy: string;
  createdAt: Date;
}

/** Moments of a camera's recordings a supervisor marked with a note (a motion search's result, an incident), for anyone at the stations to find again. */
export class Bookmarks {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  add(cameraId: number, range: { from: Date; to: Date }, note: string, by: string): Promise<BookmarkRow> {
    return this.#prisma.cameraBookmark.create({ data: { cameraId, from: range.from, to: range.to, note, createdBy: by } });
  }

  /** The camera's bookmarks that overlap [from, to), oldest first. */
  list(cameraId: number, from: Date, to: Date): Promise<BookmarkRow[]> {
    return this.#prisma.cameraBookmark.findMany({ where: { cameraId, from: { lt: to }, to: { gt: from } }, orderBy: { from: 'asc' } });
  }

  /** Removed by whoever made it, or by an admin (`mayRemoveOthers`). */
  async remove(cameraId: number, bookmarkId: number, by: { username: string; mayRemoveOthers: boolean }): Promise<BookmarkRow> {
    const bookmark = await this.#prisma.cameraBookmark.findFirst({ where: { id: bookmarkId, cameraId } });
    if (!bookmark) throw new BookmarkNotFoundError(bookmarkId);
    if (bookmark.createdBy !== by.username && !by.mayRemoveOthers) throw new BookmarkNotYoursError(bookmark.createdBy);
    await this.#prisma.cameraBookmark.delete({ where: { id: bookmarkId } });
    return bookmark;
  }
}
