/** Saying a message of the table: rendering it, and reading one that crossed a boundary. */
import { z } from 'zod';
import { en } from './en.js';
import type { Language, MessageKey, MessageParam, MessageParams, Said } from './MessagesTypes.js';
import { vi } from './vi.js';

export const messageTables: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { vi, en };

export function isMessageKey(text: unknown): text is MessageKey {
  return typeof text === 'string' && Object.hasOwn(vi, text);
}

export function said(key: MessageKey, params?: MessageParams): Said {
  return params ? { key, params } : { key };
}

/** The message in `language`, its `{{name}}` filled; a parameter that is a message is rendered too, a list joined. */
export function renderMessage(message: Said, language: Language = 'vi'): string {
  const table = messageTables[language];
  const param = (value: MessageParam | undefined, name: string): string => {
    if (value === undefined) return `{{${name}}}`;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    if (isSaidList(value)) return value.map((item) => renderMessage(item, language)).join(', ');
    return renderMessage(value, language);
  };
  return table[message.key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => param(message.params?.[name], name));
}

function isSaidList(value: MessageParam): value is readonly Said[] {
  return Array.isArray(value);
}

/** A `Said` that crossed a boundary (an answer's `messageKey` and `messageParams`), checked rather than cast. */
const paramSchema: z.ZodType<MessageParam> = z.lazy(() => z.union([z.string(), z.number(), saidSchema, z.array(saidSchema)]));
const messageKeys = Object.keys(vi) as [MessageKey, ...MessageKey[]];
export const saidSchema: z.ZodType<Said> = z.lazy(() =>
  z.object({ key: z.enum(messageKeys), params: z.record(z.string(), paramSchema).optional() }),
);

/** How an answer carries its message besides the Vietnamese text: REST errors and socket acks alike. */
export const messageFieldsSchema = z.object({
  messageKey: z.string().optional(),
  messageParams: z.record(z.string(), z.unknown()).optional(),
});

/** The message an answer names, when it names one the table holds with parameters of the right shape. */
export function saidOf(answer: { messageKey?: string; messageParams?: unknown }): Said | undefined {
  const parsed = saidSchema.safeParse({ key: answer.messageKey, params: answer.messageParams });
  return parsed.success ? parsed.data : undefined;
}
