import { unaccented } from '../../shared/unaccented.js';
import { provinceUtcOffsetMs } from '../../shared/provinceCalendar.js';

/**
 * A download's `content-disposition`: the name as a person reads it (Vietnamese, RFC 6266's `filename*`), with
 * an unaccented `filename` for clients that read only that.
 */
export function attachment(name: string): string {
  return `attachment; filename="${asciiName(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The same for a file the browser shows rather than saves (a document opened in the page), named if saved. */
export function inlineFile(name: string): string {
  return `inline; filename="${asciiName(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A meeting's file: what it is, the meeting's date (the province's) and its title, e.g. "Điểm danh 2026-12-07 Họp giao ban.csv". */
export function meetingFileName(what: string, meeting: { title: string; at: Date }, extension: string): string {
  const day = new Date(meeting.at.getTime() + provinceUtcOffsetMs).toISOString().slice(0, 10);
  const title = meeting.title
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return `${what} ${day} ${title}.${extension}`;
}

/** Vietnamese letters without their marks (đ as d), anything else outside printable ASCII as "-". */
function asciiName(name: string): string {
  return unaccented(name).replace(/[^\x20-\x7e]|["\\]/g, '-');
}
