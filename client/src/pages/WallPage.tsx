import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultWallLayout, wallTileCounts, type CameraDto, type RecordingStorageDto, type WallLayoutDto } from '../../../shared/cameras';
import { api } from '../api/http';
import { session, useSession } from '../api/session';
import { CameraWallClient, streamKey } from '../wall/CameraWallClient';
import { useVideoProgress, type VideoProgress } from '../wall/useVideoProgress';
import { wallPages } from '../../../shared/wallPages';
import type { ShedStep } from '../../../shared/protocol';
import { usePageVisible } from '../wall/usePageVisible';
import { errorText } from '../api/errors';
import { readerLocale } from '../format';

/** Playback (with hls.js) loads when a supervisor first asks for it: the wall itself does not need it. */
const CameraPlayback = lazy(async () => ({ default: (await import('../wall/CameraPlayback')).CameraPlayback }));

/** The supervision wall: the station's layout of the counters' cameras (low-resolution stream), one enlarged with PTZ and playback. */
export function WallPage() {
  const { t } = useTranslation();
  const client = useMemo(() => new CameraWallClient(), []);
  const [cameras, setCameras] = useState<CameraDto[]>([]);
  const [tracks, setTracks] = useState(new Map<string, MediaStreamTrack>());
  const [opened, setOpened] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [storage, setStorage] = useState<RecordingStorageDto | null>(null);
  const [connected, setConnected] = useState(false);
  const [layout, setLayout] = useState<WallLayoutDto>(defaultWallLayout);
  const [pageIndex, setPageIndex] = useState(0);
  const [shedSteps, setShedSteps] = useState<ShedStep[]>([]);
  const [waiting, setWaiting] = useState<ReadonlySet<string>>(new Set());
  const pageVisible = usePageVisible();

  // a link to a moment (a counter report's absence): that camera opens on its recording there
  const [linkedAt] = useState(() => deepLink()?.at ?? null);
  useEffect(() => {
    let pending = deepLink();
    client.on('camerasChanged', (list) => {
      setCameras(list);
      if (pending && list.some((c) => c.id === pending!.cameraId)) {
        client.watch(pending.cameraId, 'main');
        setOpened(pending.cameraId);
        pending = null;
      }
    });
    client.on('storageChanged', setStorage);
    client.on('trackChanged', (key, track) =>
      setTracks((previous) => {
        const next = new Map(previous);
        if (track) next.set(key, track);
        else next.delete(key);
        return next;
      }),
    );
    client.on('shedStepsChanged', setShedSteps);
    client.on('waitingChanged', setWaiting);
    client.on('error', (e) => setError(errorText(e)));
    client.on('signedOut', () => session.set(null));
    client
      .open()
      .then(() => setConnected(true))
      .catch((e: unknown) => setError(errorText(e)));
    api
      .get<WallLayoutDto>('/api/wall/layout')
      .then(setLayout)
      .catch((e: unknown) => setError(errorText(e)));
    return () => {
      client.removeAllListeners();
      client.close();
    };
  }, [client]);

  const pages = useMemo(() => wallPages(cameras, layout), [cameras, layout]);
  const page = pages[Math.min(pageIndex, pages.length - 1)] ?? [];
  const shown = page.map((c) => c.id).join(',');

  // While the hub runs short, tiles out of sight (behind an enlarged camera, or the whole page hidden) are not watched.
  const short = shedSteps.includes('walls');
  const gridOutOfSight = short && (opened !== null || !pageVisible);
  // only the page on screen is watched (streams left linger a little on the server: paging back is quick)
  useEffect(() => {
    if (!connected || gridOutOfSight) return;
    const ids = shown ? shown.split(',').map(Number) : [];
    for (const id of ids) client.watch(id, 'sub');
    return () => {
      for (const id of ids) client.unwatch(id, 'sub');
    };
  }, [client, connected, shown, gridOutOfSight]);

  useEffect(() => {
    if (layout.carouselSeconds === 0 || pages.length < 2) return;
    const timer = setInterval(() => setPageIndex((i) => (i + 1) % pages.length), layout.carouselSeconds * 1000);
    return () => clearInterval(timer);
  }, [layout.carouselSeconds, pages.length]);

  const saveLayout = (change: Partial<WallLayoutDto>) => {
    const next = { ...layout, ...change };
    setLayout(next);
    setPageIndex(0);
    api.put<WallLayoutDto>('/api/wall/layout', next).catch((e: unknown) => setError(errorText(e)));
  };
  const open = (cameraId: number | null) => {
    if (opened !== null) client.unwatch(opened, 'main');
    if (cameraId !== null) client.watch(cameraId, 'main');
    setOpened(cameraId);
  };
  const enlarged = cameras.find((c) => c.id === opened);
  const tampered = cameras.filter((c) => c.tamper);

  return (
    <main className="page wall">
      {error && <p className="error">{error}</p>}
      {storage?.diskFull && (
        <p className="error" role="alert" data-testid="storage-alert">
          {t('wall.diskFull')}
        </p>
      )}
      {tampered.length > 0 && (
        <p className="error" role="alert" data-testid="tamper-alert">
          {t('wall.tamperAlert', { cameras: tampered.map((c) => `${c.name} (${t(`wall.tamper.${c.tamper!}`)})`).join(', ') })}
        </p>
      )}
      {short && (
        <p className="notice" role="status" data-testid="load-shedding">
          {t('wall.loadShedding')}
        </p>
      )}
      <div className="controls wall-layout" data-testid="wall-layout">
        <label>
          {t('wall.tiles')}
          <select
            data-testid="layout-tiles"
            value={layout.tiles}
            onChange={(e) => saveLayout({ tiles: Number(e.target.value) as WallLayoutDto['tiles'] })}
          >
            {wallTileCounts.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="layout-group"
            checked={layout.groupByUnit}
            onChange={(e) => saveLayout({ groupByUnit: e.target.checked })}
          />
          {t('wall.groupByUnit')}
        </label>
        <label>
          {t('wall.carousel')}
          <select
            data-testid="layout-carousel"
            value={layout.carouselSeconds}
            onChange={(e) => saveLayout({ carouselSeconds: Number(e.target.value) })}
          >
            {[0, 10, 20, 30, 60, 120].map((n) => (
              <option key={n} value={n}>
                {n === 0 ? t('wall.carouselOff') : t('wall.seconds', { n })}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="page-previous"
          disabled={pages.length < 2}
          onClick={() => setPageIndex((i) => (i + pages.length - 1) % pages.length)}
        >
          ◀
        </button>
        <span data-testid="page-number" data-page={Math.min(pageIndex, pages.length - 1) + 1} data-pages={pages.length}>
          {pages.length === 0 ? '' : t('wall.page', { page: Math.min(pageIndex, pages.length - 1) + 1, pages: pages.length })}
        </span>
        <button
          type="button"
          data-testid="page-next"
          disabled={pages.length < 2}
          onClick={() => setPageIndex((i) => (i + 1) % pages.length)}
        >
          ▶
        </button>
      </div>
      <div className={`camera-grid tiles-${layout.tiles}`}>
        {page.map((camera) => (
          <CameraTile
            key={camera.id}
            camera={camera}
            track={tracks.get(streamKey(camera.id, 'sub'))}
            waiting={waiting.has(streamKey(camera.id, 'sub'))}
            onOpen={() => open(camera.id)}
          />
        ))}
      </div>
      {cameras.length === 0 && <p>{t('wall.none')}</p>}
      {enlarged && (
        <EnlargedCamera
          camera={enlarged}
          track={tracks.get(streamKey(enlarged.id, 'main'))}
          waiting={waiting.has(streamKey(enlarged.id, 'main'))}
          client={client}
          playbackAt={linkedAt}
          onClose={() => open(null)}
        />
      )}
    </main>
  );
}

/** `/wall?camera=12&at=2026-12-08T01:23:45.000Z`: a camera and a moment to open it at, or null. */
function deepLink(): { cameraId: number; at: Date } | null {
  const query = new URLSearchParams(window.location.search);
  const cameraId = Number(query.get('camera'));
  const at = new Date(query.get('at') ?? '');
  return Number.isInteger(cameraId) && cameraId > 0 && !Number.isNaN(at.getTime()) ? { cameraId, at } : null;
}

function CameraVideo({
  track,
  testId,
  onProgress,
}: {
  track?: MediaStreamTrack;
  testId: string;
  onProgress?: (progress: VideoProgress) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const progress = useVideoProgress(video, track);
  useEffect(() => {
    if (video.current) video.current.srcObject = track ? new MediaStream([track]) : null;
  }, [track]);
  useEffect(() => onProgress?.(progress), [progress, onProgress]);
  return <video ref={video} data-testid={testId} data-progress={progress} autoPlay playsInline muted />;
}

function StatusBadge({ camera }: { camera: CameraDto }) {
  const { t } = useTranslation();
  const seen = camera.lastSeenAt ? new Date(camera.lastSeenAt).toLocaleTimeString(readerLocale()) : '–';
  return (
    <>
      <span className={`badge status-${camera.status.toLowerCase()}`} data-testid="camera-status">
        {t(`cameraStatus.${camera.status}`)}
      </span>
      {camera.unattendedSince && (
        <span className="badge unattended" data-testid="camera-unattended">
          {t('wall.unattended', {
            time: new Date(camera.unattendedSince).toLocaleTimeString(readerLocale(), { hour: '2-digit', minute: '2-digit' }),
          })}
        </span>
      )}
      {camera.tamper && (
        <span
          className="badge tamper"
          data-testid="camera-tamper"
          data-tamper={camera.tamper}
          title={t(`wall.tamperHelp.${camera.tamper}`)}
        >
          ⚠ {t(`wall.tamper.${camera.tamper}`)}
        </span>
      )}
      {camera.recordMode !== 'OFF' && (
        <span
          className={`badge ${camera.recording ? 'recording' : 'not-recording'}`}
          data-testid="camera-recording"
          data-recording={camera.recording}
        >
          {camera.recording ? `● ${t('wall.recording')}` : t('wall.notRecording')}
        </span>
      )}
      <span className="last-seen">{t('wall.lastSeen', { time: seen })}</span>
    </>
  );
}

/** What a tile says over its picture: the server's verdict first, then what this browser sees. Never a black box. */
function tileNotice(camera: CameraDto, progress: VideoProgress): { key: string; time?: string } | null {
  switch (camera.status) {
    case 'STALLED':
      return { key: 'wall.stalled' };
    case 'OFFLINE':
      return camera.lastSeenAt ? { key: 'wall.offline', time: camera.lastSeenAt } : { key: 'wall.offlineNever' };
    case 'UNAUTHORIZED':
      return { key: 'wall.unauthorized' };
    case 'UNKNOWN':
      return progress === 'none' ? { key: 'wall.connecting' } : null;
    case 'ONLINE':
      if (progress === 'stalled') return { key: 'wall.notAdvancing' };
      return progress === 'none' ? { key: 'wall.waitingPicture' } : null;
    case 'UNSUPPORTED':
      // the tile shows the codec message in place of the picture
      return null;
  }
}

function TileNotice({ notice }: { notice: { key: string; time?: string } }) {
  const { t } = useTranslation();
  const time = notice.time ? new Date(notice.time).toLocaleTimeString(readerLocale(), { hour: '2-digit', minute: '2-digit' }) : undefined;
  return (
    <div className="camera-notice" data-testid="camera-notice" data-notice={notice.key}>
      {t(notice.key, { time })}
    </div>
  );
}

function CameraTile({
  camera,
  track,
  waiting,
  onOpen,
}: {
  camera: CameraDto;
  track?: MediaStreamTrack;
  /** Its stream was refused while the hub runs short: it is asked for again when the hub has room. */
  waiting: boolean;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<VideoProgress>('none');
  const notice = waiting && !track ? { key: 'wall.waitingForCapacity' } : tileNotice(camera, progress);
  return (
    <figure
      className={`camera-tile status-${camera.status.toLowerCase()}${camera.tamper ? ' tampered' : ''}`}
      data-testid="camera-tile"
      data-camera-id={camera.id}
      data-status={camera.status}
      data-video={progress}
      onClick={onOpen}
    >
      {camera.status === 'UNSUPPORTED' ? (
        <div className="camera-message" data-testid="camera-message" title={t('wall.unsupported', { encoding: camera.encoding })}>
          {t('wall.unsupportedShort', { encoding: camera.encoding })}
        </div>
      ) : (
        <CameraVideo track={track} testId="camera-video" onProgress={setProgress} />
      )}
      {notice && <TileNotice notice={notice} />}
      <figcaption>
        <strong>{camera.name}</strong> {!camera.name.includes(camera.unitName) && <span>{camera.unitName}</span>}
        <StatusBadge camera={camera} />
      </figcaption>
    </figure>
  );
}

function EnlargedCamera({
  camera,
  track,
  waiting,
  client,
  playbackAt,
  onClose,
}: {
  camera: CameraDto;
  track?: MediaStreamTrack;
  /** Its main stream was refused while the hub runs short; asked for again when it has room. */
  waiting: boolean;
  client: CameraWallClient;
  /** Opened from a link to a moment: its recording plays from there. */
  playbackAt: Date | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const canSteer = useSession()?.user.role === 'SUPERVISOR' && camera.ptz;
  const [snapshot, setSnapshot] = useState<string>();
  const [presets, setPresets] = useState<Array<{ token: string; name: string }>>([]);
  const [error, setError] = useState<string>();
  const [view, setView] = useState<'live' | 'playback'>(playbackAt ? 'playback' : 'live');

  useEffect(() => {
    if (!canSteer) return;
    api
      .get<Array<{ token: string; name: string }>>(`/api/cameras/${camera.id}/presets`)
      .then(setPresets)
      .catch(() => setPresets([]));
  }, [camera.id, canSteer]);

  const takeSnapshot = () => {
    api
      .blob(`/api/cameras/${camera.id}/snapshot`)
      .then((image) => setSnapshot(URL.createObjectURL(image)))
      .catch((e: unknown) => setError(errorText(e)));
  };
  const steer = (command: Promise<unknown>) => {
    command.catch((e: unknown) => setError(errorText(e)));
  };
  const hold = (x: number, y: number, z: number) => ({
    onPointerDown: () => steer(client.ptz(camera.id, { x, y, z })),
    onPointerUp: () => steer(client.ptzStop(camera.id)),
    onPointerLeave: () => steer(client.ptzStop(camera.id)),
  });

  return (
    <div className="camera-dialog" role="dialog" aria-label={camera.name} data-testid="camera-enlarged" data-camera-id={camera.id}>
      <div className="camera-dialog-body">
        <header>
          <h2>
            {camera.name} — {camera.unitName}
          </h2>
          <StatusBadge camera={camera} />
          <button type="button" data-testid="view-live" aria-pressed={view === 'live'} onClick={() => setView('live')}>
            {t('playback.live')}
          </button>
          <button type="button" data-testid="view-playback" aria-pressed={view === 'playback'} onClick={() => setView('playback')}>
            {t('playback.tab')}
          </button>
          <button type="button" onClick={onClose}>
            {t('wall.close')}
          </button>
        </header>
        {view === 'playback' && (
          <Suspense fallback={<p>…</p>}>
            <CameraPlayback cameraId={camera.id} at={playbackAt} />
          </Suspense>
        )}
        <div className="camera-large" hidden={view !== 'live'}>
          {camera.status === 'UNSUPPORTED' ? (
            <p className="camera-message">{t('wall.unsupported', { encoding: camera.encoding })}</p>
          ) : (
            <CameraVideo track={track} testId="camera-main-video" />
          )}
          {waiting && !track && <TileNotice notice={{ key: 'wall.waitingForCapacity' }} />}
        </div>
        <div className="controls">
          {canSteer && (
            <div className="ptz" aria-label="PTZ">
              <button type="button" data-testid="ptz-left" {...hold(-0.5, 0, 0)}>
                ◀
              </button>
              <button type="button" data-testid="ptz-up" {...hold(0, 0.5, 0)}>
                ▲
              </button>
              <button type="button" data-testid="ptz-down" {...hold(0, -0.5, 0)}>
                ▼
              </button>
              <button type="button" data-testid="ptz-right" {...hold(0.5, 0, 0)}>
                ▶
              </button>
              <button type="button" data-testid="ptz-zoom-in" {...hold(0, 0, 0.5)}>
                ＋
              </button>
              <button type="button" data-testid="ptz-zoom-out" {...hold(0, 0, -0.5)}>
                －
              </button>
              {presets.map((p) => (
                <button
                  type="button"
                  key={p.token}
                  onClick={() => {
                    client.gotoPreset(camera.id, p.token).catch((e: unknown) => setError(errorText(e)));
                  }}
                >
                  {p.name}
                </button>
              ))}
            </div>
          )}
          <button type="button" data-testid="snapshot" onClick={takeSnapshot}>
            {t('wall.snapshot')}
          </button>
          {camera.tamper === 'MOVED' && (
            <button
              type="button"
              data-testid="relearn-view"
              title={t('wall.relearnHelp')}
              onClick={() => {
                api.post(`/api/cameras/${camera.id}/view/relearn`, {}).catch((e: unknown) => setError(errorText(e)));
              }}
            >
              {t('wall.relearn')}
            </button>
          )}
        </div>
        {error && <p className="error">{error}</p>}
        {snapshot && <img className="snapshot" data-testid="snapshot-image" src={snapshot} alt={t('wall.snapshot')} />}
      </div>
    </div>
  );
}
