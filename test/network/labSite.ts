import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { defaultSamplePassword } from '../../prisma/index.js';
import { capturePeerConnections, chromiumArgs, fakeMicrophoneArg } from '../browser.js';
import { trustedChromiumHome } from '../support/trustedChromiumHome.js';
import type { NetworkLab } from './NetworkLab.js';

/** A bridge point's PC in the lab: Debian's Chromium in the host's namespace, trusting the hub's CA (once, in its NSS database). */
export async function launchSiteBrowser(lab: NetworkLab, hostName: string, caCertFile: string, extraArgs: string[] = []): Promise<Browser> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-lab-home-'));
  try {
    const browser = await chromium.launch({
      executablePath: lab.chromiumExecutable(hostName),
      args: [...chromiumArgs, fakeMicrophoneArg, ...extraArgs],
      // PulseAudio's client keeps its runtime folder under XDG_RUNTIME_DIR, else makes a new one in TMPDIR for each new HOME
      env: { ...process.env, HOME: trustedChromiumHome(caCertFile, home), XDG_RUNTIME_DIR: runtimeDir(home) },
    });
    browser.once('disconnected', () => fs.rmSync(home, { recursive: true, force: true }));
    return browser;
  } catch (error) {
    fs.rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

function runtimeDir(home: string): string {
  const dir = path.join(home, 'run');
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** A new page with camera and microphone allowed, recording its peer connections (window.__pcs). */
export async function sitePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.addInitScript(capturePeerConnections);
  return page;
}

/** Opens the hub's address and signs in through the form, as a person would. */
export async function signInThroughForm(page: Page, hubUrl: string, username: string): Promise<void> {
  await page.goto(hubUrl);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(defaultSamplePassword);
  await page.locator('form button[type="submit"]').click();
}

/** Clicks "Tham gia" on the meeting's row of the bridge point's list, then "Vào cuộc họp" once its camera shows in the preview. */
export async function joinFromList(page: Page, meetingId: string): Promise<void> {
  await page.locator(`[data-testid="meeting-row"][data-meeting-id="${meetingId}"]`).getByRole('button', { name: 'Tham gia' }).click();
  await page.getByTestId('preview-join').click();
}
