import type { BrowserContext } from '@playwright/test';
import { sessionCookieName } from '../../hub/index.js';

/** Signs a browser context in as the login page would: the session token in the hub's HttpOnly cookie. */
export async function addSessionCookie(context: BrowserContext, base: string, token: string): Promise<void> {
  await context.addCookies([{ name: sessionCookieName, value: token, url: base, httpOnly: true, secure: true, sameSite: 'Strict' }]);
}
