import { test as base } from '@playwright/test';

export { expect, type Browser, type Page } from '@playwright/test';

/**
 * Every spec's `test`. The pages a test opens in contexts of their own (`browser.newContext`) are closed when
 * it ends, passed or failed: a page left open keeps its camera encoding and its client reconnecting for the
 * rest of the run (four pages one spec left open took a fifth of a core from every spec after it).
 */
export const test = base.extend<{ closeOpenContexts: void }>({
  closeOpenContexts: [
    async ({ browser }, use) => {
      await use();
      await Promise.all(browser.contexts().map((context) => context.close()));
    },
    { auto: true },
  ],
});
