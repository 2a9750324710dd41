import { isMessageKey, renderMessage, said, type Language, type MessageKey, type Said } from '../../../shared/messages/index.js';
import i18n from '../i18n';
import { ApiError } from './http';
import { SignallingRequestError } from '../meeting/SignallingChannel';
import { PageError } from './PageError';

export { PageError };

/** The reader's language: the page's own choice, Vietnamese unless English was chosen. */
export function readerLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'vi';
}

/** A message of the table in the reader's language. */
export function say(told: Said | MessageKey): string {
  return renderMessage(typeof told === 'string' ? said(told) : told, readerLanguage());
}

/**
 * What a person is told about any failure: the server's message in the reader's language, a timeout or a lost
 * network in words, a refused socket by its code. Anything else is a fault of the page, said generally (its
 * own words, English and technical, go to the console).
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError || error instanceof SignallingRequestError || error instanceof PageError) {
    if (error.said) return say(error.said);
  }
  if (error instanceof SignallingRequestError) return say(error.code === 'TIMEOUT' ? 'client.timeout' : `code.${error.code}`);
  if (error instanceof ApiError) return error.message;
  // fetch's failure to reach the server at all
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return say('client.network');
  // a socket refused at its handshake says its code (UNAUTHENTICATED, PASSWORD_CHANGE_REQUIRED, …)
  if (error instanceof Error && isMessageKey(`code.${error.message}`)) return say(`code.${error.message}` as MessageKey);
  console.error('a failure without words for the reader', error);
  return say('client.unknownError');
}
