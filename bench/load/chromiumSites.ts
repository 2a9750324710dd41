import { chromium, type Browser, type Page } from '@playwright/test';
import { capturePeerConnections, chromiumArgs, chromiumPath, fakeMicrophoneArg } from '../../test/browser.js';
import { addSessionCookie } from '../../test/support/sessionCookie.js';
import { signIn } from '../signIn.js';

/** Real bridge-point pages among the synthetic sites: the quality spot check. */
export class ChromiumSites {
  readonly #browser: Browser;
  readonly pages: Page[] = [];

  private constructor(browser: Browser) {
    this.#browser = browser;
  }

  static async launch(): Promise<ChromiumSites> {
    return new ChromiumSites(await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, fakeMicrophoneArg] }));
  }

  /** Signs the page in as the site's account, opens its meeting list and joins. */
  async join(base: string, username: string, meetingId: string): Promise<void> {
    const page = await (
      await this.#browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1600, height: 900 } })
    ).newPage();
    this.pages.push(page);
    await page.addInitScript(capturePeerConnections);
    await addSessionCookie(page.context(), base, (await signIn(base, username)).token);
    await page.goto(`${base}/site`);
    await page.locator(`[data-meeting-id="${meetingId}"] button`).click();
    await page.locator('[data-testid="connection-state"][data-state="joined"]').waitFor({ timeout: 60_000 });
  }

  /**
   * Per page: the inbound videos whose decoded frames grew over `ms`, and the large tile's decoded
   * frame rate (its video element's presented frames).
   */
  async decoding(ms: number): Promise<Array<{ videosDecoding: number; largeFps: number }>> {
    return Promise.all(
      this.pages.map((page) =>
        // (no named helpers inside: tsx would wrap them in a function the page does not have)
        page.evaluate(async (window_) => {
          const samples: Array<{ decoded: Record<string, number>; large: number }> = [];
          for (let i = 0; i < 2; i++) {
            if (i === 1) await new Promise((r) => setTimeout(r, window_));
            const decoded: Record<string, number> = {};
            for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
              if (pc.connectionState === 'closed') continue;
              (await pc.getStats()).forEach((s: { type: string; kind: string; ssrc: number; framesDecoded?: number }) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') decoded[s.ssrc] = s.framesDecoded ?? 0;
              });
            }
            const large = document.querySelector<HTMLVideoElement>('[data-testid="main-tile"] video');
            samples.push({ decoded, large: large?.getVideoPlaybackQuality().totalVideoFrames ?? 0 });
          }
          const [before, after] = samples as [(typeof samples)[0], (typeof samples)[0]];
          const videosDecoding = Object.entries(after.decoded).filter(([ssrc, n]) => n > (before.decoded[ssrc] ?? 0)).length;
          return { videosDecoding, largeFps: ((after.large - before.large) * 1000) / window_ };
        }, ms),
      ),
    );
  }

  async close(): Promise<void> {
    await this.#browser.close();
  }
}
