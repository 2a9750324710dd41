/**
 * Vietnamese text without its marks, đ as d: what a search, a spreadsheet's column heading or an ASCII-only
 * file name compares or shows when the accents may be missing (typed on a keyboard without Telex, or dropped).
 */
export function unaccented(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}
