import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/errors';
import { listDevices, type DeviceLists } from '../meeting/LocalDevices';
import type { MeetingView } from '../meeting/useMeetingClient';

/** During the meeting: another camera, microphone or speaker, switched without leaving (the others see no gap). */
export function DeviceSwitcher({ view, onError }: { view: MeetingView; onError: (message: string) => void }) {
  const { t } = useTranslation();
  const { client, local } = view;
  const [lists, setLists] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  useEffect(() => {
    const reload = () => {
      listDevices().then(setLists, () => undefined);
    };
    reload();
    // a camera plugged in or out during the meeting shows up in the lists
    navigator.mediaDevices.addEventListener('devicechange', reload);
    return () => navigator.mediaDevices.removeEventListener('devicechange', reload);
  }, []);
  const current = (kind: 'video' | 'audio') =>
    (kind === 'video' ? local.stream?.getVideoTracks() : local.stream?.getAudioTracks())?.[0]?.getSettings().deviceId ?? '';
  const options = (devices: MediaDeviceInfo[]) =>
    devices
      .filter((d) => d.deviceId && d.deviceId !== 'default')
      .map((d, index) => (
        <option key={d.deviceId} value={d.deviceId}>
          {d.label || t('devices.unnamed', { number: index + 1 })}
        </option>
      ));
  const switchTo = (kind: 'camera' | 'microphone', id: string) => {
    client.switchDevice(kind, id).catch((e: unknown) => onError(errorText(e)));
  };
  return (
    <div className="controls device-switcher" data-testid="device-switcher">
      <label>
        {t('devices.camera')}{' '}
        <select
          data-testid="switch-camera"
          value={local.devices.cameraId ?? current('video')}
          onChange={(e) => switchTo('camera', e.target.value)}
        >
          {options(lists.cameras)}
        </select>
      </label>
      <label>
        {t('devices.microphone')}{' '}
        <select
          data-testid="switch-microphone"
          value={local.devices.microphoneId ?? current('audio')}
          onChange={(e) => switchTo('microphone', e.target.value)}
        >
          {options(lists.microphones)}
        </select>
      </label>
      {'setSinkId' in HTMLMediaElement.prototype && (
        <label>
          {t('devices.speaker')}{' '}
          <select data-testid="switch-speaker" value={local.devices.speakerId ?? ''} onChange={(e) => client.setSpeaker(e.target.value)}>
            <option value="">{t('devices.default')}</option>
            {options(lists.speakers)}
          </select>
        </label>
      )}
    </div>
  );
}
