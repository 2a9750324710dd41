import { renderMessage, said, type MessageKey, type Said } from '../../../shared/messages/index.js';

/** A trouble the page itself finds (not a server's answer), said from the hub's table. */
export class PageError extends Error {
  readonly said: Said;
  constructor(told: Said | MessageKey) {
    const message = typeof told === 'string' ? said(told) : told;
    super(renderMessage(message));
    this.name = 'PageError';
    this.said = message;
  }
}
