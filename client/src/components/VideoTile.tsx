import { useEffect, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

interface VideoTileProps {
  label: string;
  siteCode: string;
  track?: MediaStreamTrack;
  stream?: MediaStream;
  large?: boolean;
  speaking?: boolean;
  videoMuted?: boolean;
  audioMuted?: boolean;
  local?: boolean;
  testId: string;
  /** The tile's element (the large tile's size decides the layer it receives). */
  ref?: Ref<HTMLElement>;
}

export function VideoTile({ label, siteCode, track, stream, large, speaking, videoMuted, audioMuted, local, testId, ref }: VideoTileProps) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    element.srcObject = stream ?? (track ? new MediaStream([track]) : null);
  }, [track, stream]);
  return (
    <figure
      ref={ref}
      className={`tile${large ? ' tile-large' : ''}${speaking ? ' tile-speaking' : ''}`}
      data-testid={testId}
      data-site-code={siteCode}
    >
      <video ref={video} autoPlay playsInline muted={local ?? true} />
      <figcaption>
        <span>{label}</span>
        {speaking && <span className="badge badge-speaking">{t('meeting.speaking')}</span>}
        {audioMuted && <span className="badge">{t('meeting.micOff')}</span>}
        {videoMuted && <span className="badge">{t('meeting.cameraOff')}</span>}
      </figcaption>
    </figure>
  );
}

export function RemoteAudio({ track, siteCode, speakerId }: { track: MediaStreamTrack; siteCode: string; speakerId?: string }) {
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (audio.current) audio.current.srcObject = new MediaStream([track]);
  }, [track]);
  // the speaker the site chose (a conference room's speakerphone); a browser without setSinkId plays on its default
  useEffect(() => {
    const element = audio.current;
    if (element && 'setSinkId' in element)
      element.setSinkId(speakerId ?? '').catch((error: unknown) => console.warn('the speaker could not be chosen', error));
  }, [speakerId]);
  return <audio ref={audio} autoPlay data-site-code={siteCode} />;
}
