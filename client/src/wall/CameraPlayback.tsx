import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/http';
import { useHlsPlayback, type PlaybackWindow } from './useHlsPlayback';
import { errorText } from '../api/errors';
import type { DeviceEventDto, MotionIntervalDto, MotionRegion } from '../../../shared/cameras';
import { MotionSearch } from './MotionSearch';
import { exportClip, lockEvidence } from './evidence';
import { RegionPicker } from './RegionPicker';
import { dayMs, dayOf, fromLocalInput, localInput, timeZone } from './provinceTime';

interface Range {
  start: string;
  end: string;
}

const speeds = [1, 2, 4, 8] as const;
/** The simulated and the counters' cameras run at 25 frames per second: a step is one frame. */
const frameSeconds = 1 / 25;

interface Bookmark {
  id: number;
  from: string;
  to: string;
  note: string;
  createdBy: string;
}

/**
 * A camera's recordings: the day's timeline (recorded ranges and gaps), a jump to a date and time,
 * playback at 1×/2×/4×/8×, frame steps, the time of the frame on screen, and evidence: lock a range
 * (with a reason) and export it as an MP4 whose SHA-256 the audit trail keeps. Smart search marks the
 * intervals with motion in a region drawn on the picture, and bookmarks show on the timeline.
 */
export function CameraPlayback({ cameraId, at = null }: { cameraId: number; /** Plays from this moment at once. */ at?: Date | null }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [jumpTo, setJumpTo] = useState(() => localInput(at ?? new Date(Date.now() - 5 * 60_000)));
  const [span, setSpan] = useState<PlaybackWindow | null>(() =>
    at ? { cameraId, start: at, end: new Date(Math.min(Date.now(), dayOf(at).getTime() + dayMs)) } : null,
  );
  // the timeline is there as soon as the camera is: the day's recordings, before anything plays
  const [dayStart, setDayStart] = useState(() => dayOf(at ?? new Date()));
  const [ranges, setRanges] = useState<Range[]>([]);
  const [speed, setSpeed] = useState<number>(1);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [region, setRegion] = useState<MotionRegion | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [motion, setMotion] = useState<MotionIntervalDto[]>([]);
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [deviceEvents, setDeviceEvents] = useState<DeviceEventDto[]>([]);
  /** Bookmarks and the camera's own events are read again at each move (a bookmark made, a moment played). */
  const [marksRead, setMarksRead] = useState(0);
  const { frameTime, error: playbackError } = useHlsPlayback(video, span);
  const start = span?.start ?? null;
  const playing = frameTime !== null;

  useEffect(() => {
    const to = new Date(dayStart.getTime() + dayMs);
    api
      .get<{ ranges: Range[] }>(`/api/cameras/${cameraId}/recordings?from=${dayStart.toISOString()}&to=${to.toISOString()}`)
      .then((answer) => setRanges(answer.ranges))
      .catch((e: unknown) => setError(errorText(e)));
  }, [cameraId, dayStart]);

  useEffect(() => {
    const to = new Date(dayStart.getTime() + dayMs);
    api
      .get<Bookmark[]>(`/api/cameras/${cameraId}/bookmarks?from=${dayStart.toISOString()}&to=${to.toISOString()}`)
      .then(setBookmarks)
      .catch((e: unknown) => setError(errorText(e)));
    api
      .get<DeviceEventDto[]>(`/api/cameras/${cameraId}/device-events?from=${dayStart.toISOString()}&to=${to.toISOString()}`)
      .then(setDeviceEvents)
      .catch((e: unknown) => setError(errorText(e)));
  }, [cameraId, dayStart, marksRead]);

  useEffect(() => {
    if (video.current) video.current.playbackRate = speed;
  }, [speed, playing]);

  /** Plays from `date` to the end of its day (or now): the day's timeline comes with it. */
  const jump = useCallback(
    (date: Date | null) => {
      if (!date) return;
      const day = dayOf(date);
      setSpan({ cameraId, start: date, end: new Date(Math.min(Date.now(), day.getTime() + dayMs)) });
      setMarksRead((n) => n + 1);
      setDayStart((shown) => (shown.getTime() === day.getTime() ? shown : day));
      setJumpTo(localInput(date));
    },
    [cameraId],
  );
  const step = (frames: number) => {
    const element = video.current;
    if (!element) return;
    element.pause();
    element.currentTime = Math.max(0, element.currentTime + frames * frameSeconds);
  };
  /** The minute around the frame on screen: what a lock or an export covers. */
  const around = () => {
    const at = frameTime ?? start ?? new Date();
    return { from: new Date(at.getTime() - 30_000).toISOString(), to: new Date(at.getTime() + 30_000).toISOString() };
  };
  const lock = () => {
    lockEvidence(cameraId, around(), reason).then(
      () => setMessage(t('playback.locked')),
      (e: unknown) => setError(errorText(e)),
    );
  };
  const exportAround = () => {
    exportClip(cameraId, around()).then(
      (sha256) => setMessage(t('playback.exported', { sha256 })),
      (e: unknown) => setError(errorText(e)),
    );
  };

  return (
    <section className="playback" data-testid="playback">
      <div className="controls">
        <label>
          {t('playback.jumpTo')}
          <input type="datetime-local" step={1} data-testid="playback-jump" value={jumpTo} onChange={(e) => setJumpTo(e.target.value)} />
        </label>
        <button type="button" data-testid="playback-go" onClick={() => jump(fromLocalInput(jumpTo))}>
          {t('playback.go')}
        </button>
      </div>
      <Timeline
        dayStart={dayStart}
        ranges={ranges}
        motion={motion}
        bookmarks={bookmarks}
        deviceEvents={deviceEvents}
        frameTime={frameTime}
        onPick={jump}
      />
      {start && (
        <>
          <div className="playback-stage">
            <video ref={video} data-testid="playback-video" muted playsInline />
            <RegionPicker
              video={video}
              region={region}
              drawing={drawing}
              label={t('motion.region')}
              onDrawn={(drawn) => {
                setRegion(drawn);
                setDrawing(false);
              }}
            />
          </div>
          <div className="controls">
            <span className="frame-time" data-testid="playback-time" data-time={frameTime?.toISOString() ?? ''}>
              {frameTime ? frameTime.toLocaleString('vi-VN', { timeZone }) : '–'}
            </span>
            <button type="button" data-testid="playback-step-back" onClick={() => step(-1)}>
              ⏮
            </button>
            <button
              type="button"
              data-testid="playback-play"
              onClick={() => {
                video.current?.play().catch(() => undefined);
              }}
            >
              ▶
            </button>
            <button type="button" data-testid="playback-pause" onClick={() => video.current?.pause()}>
              ⏸
            </button>
            <button type="button" data-testid="playback-step" onClick={() => step(1)}>
              ⏭
            </button>
            {speeds.map((s) => (
              <button type="button" key={s} data-testid={`playback-speed-${s}`} aria-pressed={speed === s} onClick={() => setSpeed(s)}>
                {s}×
              </button>
            ))}
          </div>
          <div className="controls">
            <input
              placeholder={t('playback.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="lock-reason"
            />
            <button type="button" data-testid="lock" disabled={reason.trim().length < 3} onClick={lock}>
              {t('playback.lock')}
            </button>
            <button type="button" data-testid="export-clip" onClick={exportAround}>
              {t('playback.export')}
            </button>
          </div>
        </>
      )}
      <MotionSearch
        key={dayStart.getTime()}
        cameraId={cameraId}
        region={region}
        drawing={drawing}
        canDraw={start !== null}
        day={dayStart}
        onDraw={() => setDrawing((d) => !d)}
        onFound={setMotion}
        onJump={jump}
        onBookmarked={() => setMarksRead((n) => n + 1)}
      />
      {playbackError && <p className="error">{t('playback.unavailable')}</p>}
      {message && <p data-testid="playback-message">{message}</p>}
      {error && <p className="error">{error}</p>}
    </section>
  );
}

/**
 * The day on a bar: recorded ranges filled, gaps empty, motion found by a search above them, what the
 * camera itself reported (ONVIF events) in a band across the middle, bookmarks below, the frame on
 * screen marked; a click jumps there.
 */
function Timeline({
  dayStart,
  ranges,
  motion,
  bookmarks,
  deviceEvents,
  frameTime,
  onPick,
}: {
  dayStart: Date;
  ranges: Range[];
  motion: MotionIntervalDto[];
  bookmarks: Bookmark[];
  deviceEvents: DeviceEventDto[];
  frameTime: Date | null;
  onPick: (at: Date) => void;
}) {
  const { t } = useTranslation();
  const share = (iso: string | Date) => ((new Date(iso).getTime() - dayStart.getTime()) / dayMs) * 100;
  return (
    <div
      className="timeline"
      data-testid="timeline"
      role="slider"
      aria-label={t('playback.timeline')}
      aria-valuemin={0}
      aria-valuemax={24}
      aria-valuenow={frameTime ? share(frameTime) * 0.24 : 0}
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        onPick(new Date(dayStart.getTime() + ((e.clientX - box.left) / box.width) * dayMs));
      }}
    >
      {ranges.map((r) => (
        <span
          key={r.start}
          className="recorded"
          data-testid="timeline-range"
          data-start={r.start}
          data-end={r.end}
          style={{ left: `${share(r.start)}%`, width: `${Math.max(0.1, share(r.end) - share(r.start))}%` }}
        />
      ))}
      {motion
        .filter((m) => share(m.end) > 0 && share(m.start) < 100)
        .map((m) => (
          <span
            key={m.start}
            className="motion"
            data-testid="timeline-motion"
            style={{ left: `${share(m.start)}%`, width: `${share(m.end) - share(m.start)}%` }}
          />
        ))}
      {deviceEvents.map((e) => (
        <span
          key={`${e.kind}-${e.start}`}
          className={`device-event ${e.kind.toLowerCase()}`}
          data-testid="timeline-device-event"
          data-kind={e.kind}
          title={t(`playback.deviceEvent.${e.kind}`)}
          style={{
            left: `${Math.max(0, share(e.start))}%`,
            width: `${Math.max(0.1, Math.min(100, share(e.end ?? new Date())) - Math.max(0, share(e.start)))}%`,
          }}
        />
      ))}
      {bookmarks.map((b) => (
        <span
          key={b.id}
          className="bookmark"
          data-testid="timeline-bookmark"
          title={`${b.note} (${b.createdBy})`}
          style={{ left: `${share(b.from)}%` }}
        />
      ))}
      {frameTime && <span className="cursor" style={{ left: `${share(frameTime)}%` }} />}
    </div>
  );
}
