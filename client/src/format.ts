import i18n from './i18n';

/** The reader's locale for dates and times: Vietnamese, or British English for a page read in English (24-hour clock). */
export function readerLocale(): 'vi-VN' | 'en-GB' {
  return i18n.language === 'en' ? 'en-GB' : 'vi-VN';
}

/** A moment as the reader writes it: "19:36:25 7/12/2026". */
export function dateTime(iso: string | Date): string {
  return new Date(iso).toLocaleString(readerLocale());
}

export function dateOnly(iso: string | Date): string {
  return new Date(iso).toLocaleDateString(readerLocale());
}

export function timeOnly(iso: string | Date): string {
  return new Date(iso).toLocaleTimeString(readerLocale());
}
