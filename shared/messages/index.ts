/**
 * shared/messages/: the one table of what a person is told (errors, refusals, validation, the audit trail's
 * words), in Vietnamese first and English second. The server says a `Said` (key and parameters) and answers
 * it rendered in Vietnamese with its key; a page renders the key again in the reader's language.
 */
export { isMessageKey, messageFieldsSchema, messageTables, renderMessage, said, saidOf, saidSchema } from './said.js';
export { saidOfIssues } from './zodIssues.js';
export type { Language, MessageKey, MessageParam, MessageParams, Said } from './MessagesTypes.js';
