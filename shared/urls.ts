import { z } from 'zod';
import type { MessageKey } from './messages/index.js';

/**
 * A URL the hub stores and hands to ffmpeg: parsed once, and its parsed form kept. A control character or a
 * space anywhere is refused. `new URL()` would quietly strip one at the start, and ffmpeg, given a string it
 * does not take for a URL, opens a local file of that name.
 */
export function mediaUrlSchema(protocol: RegExp, error: MessageKey) {
  return z
    .string()
    .max(500)
    .refine((text) => ![...text].some(isControlOrSpace), {
      error: 'validation.noControlCharacters',
    })
    .pipe(z.url({ protocol, error }))
    .transform((text) => new URL(text).href);
}

/** C0 and C1 controls, DEL and the space. */
function isControlOrSpace(character: string): boolean {
  const code = character.codePointAt(0)!;
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * A URL's query as its `name=value` pairs, raw: not decoded, as ffmpeg reads an srt:// query. `value` is
 * undefined for a pair without `=`.
 */
export function rawQueryPairs(url: URL): Array<{ name: string; value: string | undefined }> {
  return url.search
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? { name: pair, value: undefined } : { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
}
