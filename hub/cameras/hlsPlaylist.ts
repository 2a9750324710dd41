import path from 'node:path';
import type { Segment } from '../../camera-gateway/index.js';

/**
 * A VOD playlist over recorded segments: each segment restarts its timestamps (and a gap may come
 * before it), so each is a discontinuity, and each carries its wall-clock start, from which the page
 * shows the time of the frame on screen.
 */
export function hlsPlaylist(cameraId: number, segments: Segment[]): string {
  const seconds = (s: Segment) => Math.max(0.001, (s.endedAt.getTime() - s.startedAt.getTime()) / 1000);
  const target = Math.ceil(Math.max(1, ...segments.map(seconds)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD'];
  segments.forEach((segment, i) => {
    if (i > 0) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${segment.startedAt.toISOString()}`);
    lines.push(`#EXTINF:${seconds(segment).toFixed(3)},`);
    lines.push(`/api/cameras/${cameraId}/segments/${path.basename(segment.file)}`);
  });
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}
