import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CameraDto, RecordingStorageDto } from '../../../shared/cameras';
import { api } from '../api/http';
import { session, useSession } from '../api/session';
import { CameraWallClient, streamKey } from '../wall/CameraWallClient';
import { useVideoProgress, type VideoProgress } from '../wall/useVideoProgress';

/** The supervision wall: every counter's camera (low-resolution stream), one enlarged with PTZ. */
export function WallPage() {
  const { t } = useTranslation();
  const client = useMemo(() => new CameraWallClient(), []);
  const [cameras, setCameras] = useState<CameraDto[]>([]);
  const [tracks, setTracks] = useState(new Map<string, MediaStreamTrack>());
  const [opened, setOpened] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [storage, setStorage] = useState<RecordingStorageDto | null>(null);

  useEffect(() => {
    client.on('camerasChanged', setCameras);
    client.on('storageChanged', setStorage);
    client.on('trackChanged', (key, track) =>
      setTracks((previous) => {
        const next = new Map(previous);
        if (track) next.set(key, track);
        else next.delete(key);
        return next;
      }),
    );
    client.on('error', (e) => setError(e.message));
    client.on('signedOut', () => session.set(null));
    client
      .open()
      .then(() => {
        for (const camera of client.cameras) client.watch(camera.id, 'sub');
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      client.removeAllListeners();
      client.close();
    };
  }, [client]);

  const open = (cameraId: number | null) => {
    if (opened !== null) client.unwatch(opened, 'main');
    if (cameraId !== null) client.watch(cameraId, 'main');
    setOpened(cameraId);
  };
  const enlarged = cameras.find((c) => c.id === opened);

  return (
    <main className="page wall">
      {error && <p className="error">{error}</p>}
      {storage?.diskFull && (
        <p className="error" role="alert" data-testid="storage-alert">
          {t('wall.diskFull')}
        </p>
      )}
      <div className="camera-grid">
        {cameras.map((camera) => (
          <CameraTile key={camera.id} camera={camera} track={tracks.get(streamKey(camera.id, 'sub'))} onOpen={() => open(camera.id)} />
        ))}
      </div>
      {cameras.length === 0 && <p>{t('wall.none')}</p>}
      {enlarged && (
        <EnlargedCamera camera={enlarged} track={tracks.get(streamKey(enlarged.id, 'main'))} client={client} onClose={() => open(null)} />
      )}
    </main>
  );
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
  const { t, i18n } = useTranslation();
  const seen = camera.lastSeenAt ? new Date(camera.lastSeenAt).toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'vi-VN') : '–';
  return (
    <>
      <span className={`badge status-${camera.status.toLowerCase()}`} data-testid="camera-status">
        {t(`cameraStatus.${camera.status}`)}
      </span>
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
  const { t, i18n } = useTranslation();
  const time = notice.time
    ? new Date(notice.time).toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'vi-VN', { hour: '2-digit', minute: '2-digit' })
    : undefined;
  return (
    <div className="camera-notice" data-testid="camera-notice" data-notice={notice.key}>
      {t(notice.key, { time })}
    </div>
  );
}

function CameraTile({ camera, track, onOpen }: { camera: CameraDto; track?: MediaStreamTrack; onOpen: () => void }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<VideoProgress>('none');
  const notice = tileNotice(camera, progress);
  return (
    <figure
      className={`camera-tile status-${camera.status.toLowerCase()}`}
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
  client,
  onClose,
}: {
  camera: CameraDto;
  track?: MediaStreamTrack;
  client: CameraWallClient;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const canSteer = useSession()?.user.role === 'SUPERVISOR' && camera.ptz;
  const [snapshot, setSnapshot] = useState<string>();
  const [presets, setPresets] = useState<Array<{ token: string; name: string }>>([]);
  const [error, setError] = useState<string>();

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
      .catch((e: Error) => setError(e.message));
  };
  const steer = (command: Promise<unknown>) => {
    command.catch((e: Error) => setError(e.message));
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
          <button type="button" onClick={onClose}>
            {t('wall.close')}
          </button>
        </header>
        <div className="camera-large">
          {camera.status === 'UNSUPPORTED' ? (
            <p className="camera-message">{t('wall.unsupported', { encoding: camera.encoding })}</p>
          ) : (
            <CameraVideo track={track} testId="camera-main-video" />
          )}
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
                    client.gotoPreset(camera.id, p.token).catch((e: Error) => setError(e.message));
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
        </div>
        {error && <p className="error">{error}</p>}
        {snapshot && <img className="snapshot" data-testid="snapshot-image" src={snapshot} alt={t('wall.snapshot')} />}
      </div>
    </div>
  );
}
