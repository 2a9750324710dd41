import type { vi } from './vi.js';

/** The languages a page can be read in: Vietnamese first, English second. */
export type Language = 'vi' | 'en';

/** A message of the table (`vi.ts` holds every key). */
export type MessageKey = keyof typeof vi;

/** A parameter: a value shown as it is, another message (a role, a status), or a list of them. */
export type MessageParam = string | number | Said | readonly Said[];

export type MessageParams = Readonly<Record<string, MessageParam>>;

/** What a person is told: a message of the table and its parameters, rendered in the reader's language. */
export interface Said {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}
