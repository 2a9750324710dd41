import Hls from 'hls.js';
import { useEffect, useState, type RefObject } from 'react';

export interface PlaybackState {
  /** The wall-clock time of the frame on screen (from the segments' program date-time). */
  frameTime: Date | null;
  error: string | null;
}

/** What is played: the recording of one camera from `start` (seeked to) until `end`. */
export interface PlaybackWindow {
  cameraId: number;
  start: Date;
  end: Date;
}

const supported = Hls.isSupported();

/**
 * Plays a camera's recording through hls.js (MPEG-TS segments remuxed to fMP4 in the page, Media
 * Source Extensions): the playlist lists the recorded segments of the span, the video seeks to its
 * start within the first, and the frame's wall-clock time follows the playback.
 */
export function useHlsPlayback(video: RefObject<HTMLVideoElement | null>, span: PlaybackWindow | null): PlaybackState {
  // the state of the span it was reported for: a new span starts with nothing shown
  const [reported, setReported] = useState<PlaybackState & { span: PlaybackWindow | null }>({
    span: null,
    frameTime: null,
    error: null,
  });

  useEffect(() => {
    const element = video.current;
    if (!element || !span || !supported) return;
    const report = (state: PlaybackState) => setReported({ ...state, span });
    const hls = new Hls({ enableWorker: true, maxBufferLength: 30 });
    hls.loadSource(`/api/cameras/${span.cameraId}/playback.m3u8?from=${span.start.toISOString()}&to=${span.end.toISOString()}`);
    hls.attachMedia(element);
    hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
      const first = data.details.fragments[0];
      if (!first?.programDateTime) {
        report({ frameTime: null, error: 'empty' });
        return;
      }
      element.currentTime = Math.max(0, (span.start.getTime() - first.programDateTime) / 1000);
      element.play().catch(() => undefined);
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) report({ frameTime: null, error: data.details });
    });
    const onTime = () => {
      const playing = hls.playingDate;
      if (playing) report({ frameTime: playing, error: null });
    };
    element.addEventListener('timeupdate', onTime);
    element.addEventListener('seeked', onTime);
    return () => {
      element.removeEventListener('timeupdate', onTime);
      element.removeEventListener('seeked', onTime);
      hls.destroy();
    };
  }, [video, span]);

  if (!supported) return { frameTime: null, error: 'hls' };
  return reported.span === span ? { frameTime: reported.frameTime, error: reported.error } : { frameTime: null, error: null };
}
