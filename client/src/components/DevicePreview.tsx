import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { say } from '../api/errors';
import {
  DeviceError,
  listDevices,
  openLocalMedia,
  rememberChoice,
  rememberedChoice,
  type DeviceChoice,
  type DeviceLists,
  type OpenedMedia,
} from '../meeting/LocalDevices';

/**
 * Before joining: the site sees its own camera, chooses its camera, microphone and speaker, and watches its
 * microphone's level move as someone speaks. A device that cannot be used is explained in words, with a retry.
 * The choice is remembered by this browser; what was opened is handed to the meeting as it is.
 */
export function DevicePreview({ onJoin, onCancel }: { onJoin: (media: OpenedMedia, devices: DeviceChoice) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<DeviceChoice>(rememberedChoice);
  const [lists, setLists] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  const [opened, setOpened] = useState<OpenedMedia>();
  const [trouble, setTrouble] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const handedOver = useRef(false);
  const video = useRef<HTMLVideoElement>(null);
  const level = useMicrophoneLevel(opened?.stream);

  useEffect(() => {
    let current: OpenedMedia | undefined;
    let cancelled = false;
    setTrouble(undefined);
    openLocalMedia(choice)
      .then(async (media) => {
        if (cancelled) return stopAll(media.stream);
        current = media;
        setOpened(media);
        // the devices' names are listed once the site allowed them
        setLists(await listDevices());
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setOpened(undefined);
        setTrouble(error instanceof DeviceError ? say(error.trouble) : say('device.failed'));
        listDevices().then(setLists, () => undefined);
      });
    return () => {
      cancelled = true;
      if (current && !handedOver.current) stopAll(current.stream);
    };
    // opened again when the camera or microphone changes, not when only the speaker does
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choice.cameraId, choice.microphoneId, attempt]);

  useEffect(() => {
    if (video.current) video.current.srcObject = opened?.stream ?? null;
  }, [opened]);

  const pick = (next: DeviceChoice) => {
    setChoice(next);
    rememberChoice(next);
  };
  const select = (label: string, testId: string, devices: MediaDeviceInfo[], value: string | undefined, onChange: (id: string) => void) => (
    <label>
      {label}
      <select data-testid={testId} value={value ?? ''} onChange={(e) => onChange(e.target.value)} disabled={devices.length === 0}>
        <option value="">{t('devices.default')}</option>
        {devices
          .filter((d) => d.deviceId && d.deviceId !== 'default')
          .map((d, index) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('devices.unnamed', { number: index + 1 })}
            </option>
          ))}
      </select>
    </label>
  );

  return (
    <section className="form device-preview" data-testid="device-preview">
      <h2>{t('devices.heading')}</h2>
      <video ref={video} className="preview-video" data-testid="preview-video" autoPlay playsInline muted />
      {opened?.cameraTrouble && (
        <p className="notice" data-testid="camera-trouble">
          {say(opened.cameraTrouble)}
        </p>
      )}
      {trouble && (
        <p className="error" role="alert" data-testid="device-trouble">
          {trouble}
        </p>
      )}
      {select(t('devices.camera'), 'choose-camera', lists.cameras, choice.cameraId, (id) => pick({ ...choice, cameraId: id || undefined }))}
      {select(t('devices.microphone'), 'choose-microphone', lists.microphones, choice.microphoneId, (id) =>
        pick({ ...choice, microphoneId: id || undefined }),
      )}
      {'setSinkId' in HTMLMediaElement.prototype
        ? select(t('devices.speaker'), 'choose-speaker', lists.speakers, choice.speakerId, (id) =>
            pick({ ...choice, speakerId: id || undefined }),
          )
        : null}
      <label>
        {t('devices.level')}
        <meter data-testid="mic-level" data-level={level.toFixed(2)} min={0} max={1} low={0.05} value={level} />
      </label>
      <div className="controls">
        <button
          type="button"
          data-testid="preview-join"
          disabled={!opened}
          onClick={() => {
            handedOver.current = true;
            onJoin(opened!, choice);
          }}
        >
          {t('devices.join')}
        </button>
        {trouble && (
          <button type="button" data-testid="preview-retry" onClick={() => setAttempt((n) => n + 1)}>
            {t('devices.retry')}
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {t('devices.cancel')}
        </button>
      </div>
    </section>
  );
}

function stopAll(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** The microphone's loudness (0–1, its RMS), read from an analyser a few times a second. */
function useMicrophoneLevel(stream: MediaStream | undefined): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    const track = stream?.getAudioTracks()[0];
    if (!track) return;
    const context = new AudioContext();
    // the page was just clicked ("Tham gia"): the audio context may run
    context.resume().catch(() => undefined);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      setLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
    }, 150);
    return () => {
      clearInterval(timer);
      context.close().catch(() => undefined);
    };
  }, [stream]);
  return level;
}
