import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CameraDto, MotionRegion } from '../../../shared/cameras';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { RegionPicker } from '../wall/RegionPicker';

/**
 * The admin marks where the civil servant sits on a counter's picture (a snapshot taken now): the
 * desk whose motion says the counter is attended. Saved, or removed (the counter is then not watched).
 */
export function StaffZoneEditor({ camera, onDone }: { camera: CameraDto; onDone: () => void }) {
  const { t } = useTranslation();
  const image = useRef<HTMLImageElement>(null);
  const [snapshot, setSnapshot] = useState<string>();
  const [zone, setZone] = useState<MotionRegion | null>(camera.staffZone);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let url: string | undefined;
    api
      .blob(`/api/cameras/${camera.id}/snapshot`)
      .then((blob) => {
        url = URL.createObjectURL(blob);
        setSnapshot(url);
      })
      .catch((e: unknown) => setError(errorText(e)));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [camera.id]);

  const save = (value: MotionRegion | null) => {
    api
      .put(`/api/cameras/${camera.id}/staff-zone`, { zone: value })
      .then(onDone)
      .catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <section className="staff-zone" data-testid="staff-zone-editor" aria-label={t('counters.zoneTitle', { name: camera.name })}>
      <h3>{t('counters.zoneTitle', { name: camera.name })}</h3>
      <p className="hint">{t('counters.zoneHelp')}</p>
      {snapshot && (
        <div className="playback-stage">
          <img ref={image} src={snapshot} alt={camera.name} className="snapshot" data-testid="staff-zone-snapshot" />
          <RegionPicker video={image} region={zone} drawing onDrawn={setZone} label={t('counters.zoneTitle', { name: camera.name })} />
        </div>
      )}
      <div className="controls">
        <button type="button" data-testid="staff-zone-save" disabled={!zone} onClick={() => save(zone)}>
          {t('counters.zoneSave')}
        </button>
        {camera.staffZone && (
          <button type="button" data-testid="staff-zone-remove" onClick={() => save(null)}>
            {t('counters.zoneRemove')}
          </button>
        )}
        <button type="button" onClick={onDone}>
          {t('wall.close')}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
