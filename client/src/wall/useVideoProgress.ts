import { useEffect, useState, type RefObject } from 'react';

/** How a tile's video is doing in this browser: frames presented, or none for a while. */
export type VideoProgress = 'none' | 'playing' | 'stalled';

/** No new frame presented for this long: the picture on screen is standing still. */
const stalledAfterMs = 3000;

/**
 * Watches the frames a <video> presents (Chromium counts each one), so a tile can say its picture
 * stopped even when the server still sees packets arriving.
 */
export function useVideoProgress(video: RefObject<HTMLVideoElement | null>, track: MediaStreamTrack | undefined): VideoProgress {
  const [progress, setProgress] = useState<VideoProgress>('none');
  useEffect(() => {
    if (!track) return;
    let frames = -1;
    let lastFrameAt = Date.now();
    const timer = setInterval(() => {
      const shown = video.current?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      if (shown > frames) {
        frames = shown;
        lastFrameAt = Date.now();
      }
      setProgress(frames > 0 && Date.now() - lastFrameAt < stalledAfterMs ? 'playing' : frames > 0 ? 'stalled' : 'none');
    }, 1000);
    return () => clearInterval(timer);
  }, [video, track]);
  return track ? progress : 'none';
}
