import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveredCameraDto } from '../../../../shared/cameras';
import { api } from '../../api/http';
import { errorText } from '../../api/errors';

/**
 * The cameras that answer a WS-Discovery search on the hub's network: each with what it says of itself, marked
 * when it is registered already; choosing one hands it to the add form.
 */
export function CameraDiscovery({
  registered,
  onChoose,
}: {
  registered: (onvifAddress: string) => boolean;
  onChoose: (camera: DiscoveredCameraDto) => void;
}) {
  const { t } = useTranslation();
  const [found, setFound] = useState<DiscoveredCameraDto[]>();
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string>();
  const discover = () => {
    setSearching(true);
    setError(undefined);
    api
      .post<DiscoveredCameraDto[]>('/api/cameras/discover')
      .then(setFound)
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setSearching(false));
  };

  return (
    <div className="discovery" data-testid="camera-discovery">
      <button type="button" onClick={discover} disabled={searching}>
        {t('admin.camera.discover')}
      </button>
      {searching && <p className="notice">{t('admin.camera.searching')}</p>}
      {error && <p className="error">{error}</p>}
      {found && !searching && found.length === 0 && <p className="notice">{t('admin.camera.noneFound')}</p>}
      {found && found.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('admin.camera.name')}</th>
              <th>{t('admin.camera.hardware')}</th>
              <th>{t('admin.camera.location')}</th>
              <th>{t('admin.camera.onvifAddress')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {found.map((camera) => (
              <tr key={camera.onvifAddress} data-onvif-address={camera.onvifAddress}>
                <td>{camera.name}</td>
                <td>{camera.hardware}</td>
                <td>{camera.location}</td>
                <td>{camera.onvifAddress}</td>
                <td>
                  {camera.registered || registered(camera.onvifAddress) ? (
                    t('admin.camera.registered')
                  ) : (
                    <button type="button" onClick={() => onChoose(camera)}>
                      {t('admin.camera.useFound')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
