/** Chromium's breakout box (MediaStreamTrack Insertable Streams): not in TypeScript's DOM library yet. */
declare class MediaStreamTrackProcessor {
  constructor(init: { track: MediaStreamTrack });
  readonly readable: ReadableStream<VideoFrame>;
}
declare class MediaStreamTrackGenerator extends MediaStreamTrack {
  constructor(init: { kind: 'video' });
  readonly writable: WritableStream<VideoFrame>;
}

/** A static slide is sent again this often: a key frame the SFU asks for is encoded within this time. */
const idleRefreshMs = 500;

/**
 * A screen capture sends a frame only when the screen changes, and an encoder answers a key-frame
 * request with the next frame it is given: a viewer joining a slide that nobody touches would wait
 * until someone does. The track is passed through, and while the screen is still its last frame is
 * given again every `idleRefreshMs` (VP8 sends almost nothing for an unchanged picture), as WebRTC's
 * own zero-hertz screenshare mode does where the capturer supports it. Without the breakout box the
 * track is sent as it is. `stop()` ends the returned track and the refresh.
 */
export function withIdleRefresh(track: MediaStreamTrack): { track: MediaStreamTrack; stop: () => void } {
  if (typeof MediaStreamTrackProcessor === 'undefined' || typeof MediaStreamTrackGenerator === 'undefined')
    return { track, stop: () => track.stop() };
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  const generator = new MediaStreamTrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  let last: VideoFrame | undefined;
  let lastWrittenAt = 0;
  let stopped = false;
  // every frame restamped on one clock, so the repeated ones never go back in time
  const write = (frame: VideoFrame) => {
    lastWrittenAt = performance.now();
    const stamped = new VideoFrame(frame, { timestamp: Math.round(lastWrittenAt * 1000) });
    writer.write(stamped).catch(() => stamped.close());
  };
  const pump = async () => {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || stopped) {
        frame?.close();
        return;
      }
      last?.close();
      last = frame;
      write(frame);
    }
  };
  const timer = setInterval(() => {
    if (last && performance.now() - lastWrittenAt >= idleRefreshMs) write(last);
  }, idleRefreshMs / 2);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    last?.close();
    last = undefined;
    reader.cancel().catch(() => undefined);
    writer.close().catch(() => undefined);
    generator.stop();
    track.stop();
  };
  pump().catch(stop);
  return { track: generator, stop };
}
