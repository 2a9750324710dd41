import { useEffect, useState, type PointerEvent, type RefObject } from 'react';
import type { MotionRegion } from '../../../shared/cameras';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A picture a region is drawn on: a video playing, or a still (a snapshot). */
type Picture = HTMLVideoElement | HTMLImageElement;

const sizeOf = (picture: Picture) =>
  picture instanceof HTMLVideoElement ? [picture.videoWidth, picture.videoHeight] : [picture.naturalWidth, picture.naturalHeight];

/** Where the picture is inside its element, relative to it (letterboxed to its own shape, as `object-fit: contain` shows it). */
function pictureBox(video: Picture): Box {
  const { width: boxWidth, height: boxHeight } = video.getBoundingClientRect();
  const [width0, height0] = sizeOf(video);
  const aspect = width0 && height0 ? width0 / height0 : 16 / 9;
  const width = Math.min(boxWidth, boxHeight * aspect);
  const height = width / aspect;
  return { left: video.offsetLeft + (boxWidth - width) / 2, top: video.offsetTop + (boxHeight - height) / 2, width, height };
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** The picture's place within its element, followed as the element resizes or the picture's size becomes known. */
function usePictureBox(video: RefObject<Picture | null>): Box | null {
  const [box, setBox] = useState<Box | null>(null);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const measure = () => setBox(pictureBox(element));
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('loadedmetadata', measure);
    element.addEventListener('load', measure);
    return () => {
      observer.disconnect();
      element.removeEventListener('loadedmetadata', measure);
      element.removeEventListener('load', measure);
    };
  }, [video]);
  return box;
}

/**
 * A rectangle drawn with the mouse (or a finger) over a picture, kept in fractions of the picture:
 * where a motion search looks, or a counter's staff zone. While `drawing` is off it only shows the region.
 */
export function RegionPicker({
  video,
  region,
  drawing,
  onDrawn,
  label,
}: {
  video: RefObject<Picture | null>;
  region: MotionRegion | null;
  drawing: boolean;
  onDrawn: (region: MotionRegion) => void;
  label: string;
}) {
  const box = usePictureBox(video);
  const [dragging, setDragging] = useState<{ x: number; y: number; toX: number; toY: number } | null>(null);
  if (!box) return null;

  const at = (event: PointerEvent) => {
    const own = event.currentTarget.getBoundingClientRect();
    return { x: clamp((event.clientX - own.left) / own.width), y: clamp((event.clientY - own.top) / own.height) };
  };
  const rectangle = (d: { x: number; y: number; toX: number; toY: number }): MotionRegion => ({
    x: Math.min(d.x, d.toX),
    y: Math.min(d.y, d.toY),
    width: Math.abs(d.toX - d.x),
    height: Math.abs(d.toY - d.y),
  });
  const shown = dragging ? rectangle(dragging) : region;
  const percent = (v: number) => `${v * 100}%`;

  return (
    <div
      className="region-picker"
      data-testid="region-picker"
      aria-label={label}
      style={{ ...box, pointerEvents: drawing ? 'auto' : 'none' }}
      onPointerDown={(event) => {
        if (!drawing) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        const start = at(event);
        setDragging({ x: start.x, y: start.y, toX: start.x, toY: start.y });
      }}
      onPointerMove={(event) => {
        if (!dragging) return;
        const to = at(event);
        setDragging({ ...dragging, toX: to.x, toY: to.y });
      }}
      onPointerUp={() => {
        if (!dragging) return;
        const drawn = rectangle(dragging);
        setDragging(null);
        if (drawn.width > 0.01 && drawn.height > 0.01) onDrawn(drawn);
      }}
    >
      {shown && (
        <span
          className="region"
          data-testid="motion-region"
          data-region={JSON.stringify(shown)}
          style={{ left: percent(shown.x), top: percent(shown.y), width: percent(shown.width), height: percent(shown.height) }}
        />
      )}
    </div>
  );
}
