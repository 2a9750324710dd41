/**
 * What the join benchmarks time in the page: from clicking "Vào cuộc họp" (the preview's join) to the first decoded remote video
 * frame, and the same for a direct RTCPeerConnection loopback in the same browser (getUserMedia → offer/answer
 * → first decoded frame), the floor any join through a server is compared with.
 */
import type { Page } from '@playwright/test';

/** Init script: `__firstVideoFrame()` resolves once any captured connection has decoded a video frame. */
export const installFirstFrameProbe = () => {
  (window as unknown as { __firstVideoFrame: () => Promise<void> }).__firstVideoFrame = async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    for (;;) {
      for (const pc of pcs) {
        let decoded = 0;
        (await pc.getStats()).forEach((s: { type: string; kind: string; framesDecoded?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') decoded += s.framesDecoded ?? 0;
        });
        if (decoded > 0) return;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
};

/**
 * Clicks the meeting's "Tham gia" on the bridge point's list, waits for the device preview to show the camera,
 * then times "Vào cuộc họp" to the first decoded frame (the camera is open by then, as a site's is).
 */
export async function clickToFirstFrameMs(page: Page, meetingId: string): Promise<number> {
  await page.locator(`[data-meeting-id="${meetingId}"] button`).first().click();
  const join = page.getByTestId('preview-join');
  await join.waitFor();
  await page.waitForFunction(() => !(document.querySelector('[data-testid="preview-join"]') as HTMLButtonElement).disabled);
  return page.evaluate(async () => {
    const button = document.querySelector('[data-testid="preview-join"]') as HTMLButtonElement;
    const start = performance.now();
    button.click();
    await (window as unknown as { __firstVideoFrame: () => Promise<void> }).__firstVideoFrame();
    return performance.now() - start;
  });
}

/** The direct loopback, on a page already open on a secure origin. */
export function loopbackToFirstFrameMs(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const start = performance.now();
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true });
    const sender = new RTCPeerConnection();
    const receiver = new RTCPeerConnection();
    // (no named helper here: tsx would wrap it in a function the page does not have)
    sender.onicecandidate = (e) => {
      if (e.candidate) receiver.addIceCandidate(e.candidate).catch(() => undefined);
    };
    receiver.onicecandidate = (e) => {
      if (e.candidate) sender.addIceCandidate(e.candidate).catch(() => undefined);
    };
    for (const track of stream.getTracks()) sender.addTrack(track, stream);
    await sender.setLocalDescription();
    await receiver.setRemoteDescription(sender.localDescription!);
    await receiver.setLocalDescription();
    await sender.setRemoteDescription(receiver.localDescription!);
    await (window as unknown as { __firstVideoFrame: () => Promise<void> }).__firstVideoFrame();
    const elapsed = performance.now() - start;
    sender.close();
    receiver.close();
    stream.getTracks().forEach((t) => t.stop());
    return elapsed;
  });
}
