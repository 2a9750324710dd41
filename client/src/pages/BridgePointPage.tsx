import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgePointDto } from '../../../shared/protocol';
import { RemoteAudio, VideoTile } from '../components/VideoTile';
import type { RemoteSite } from '../meeting/MeetingClientTypes';
import { useMeetingClient } from '../meeting/useMeetingClient';

/** The host site is shown large when nobody has spoken yet. */
const HOST_SITE_CODE = 'UBND-TINH';

function pickMainSite(sites: RemoteSite[], activeSpeaker: string | null, previous: string | null): RemoteSite | undefined {
  return (
    sites.find((s) => s.peerId === activeSpeaker) ??
    sites.find((s) => s.peerId === previous) ??
    sites.find((s) => s.bridgePointCode === HOST_SITE_CODE) ??
    sites[0]
  );
}

export function BridgePointPage() {
  const { t } = useTranslation();
  const params = new URLSearchParams(window.location.search);
  const [meetingId, setMeetingId] = useState(params.get('meeting') ?? 'hop-giao-ban');
  const [bridgePointCode, setBridgePointCode] = useState(params.get('site') ?? '');
  const [bridgePoints, setBridgePoints] = useState<BridgePointDto[]>([]);
  const { client, state, error, sites, activeSpeaker, local } = useMeetingClient();
  const [mainPeerId, setMainPeerId] = useState<string | null>(null);

  useEffect(() => {
    void fetch('/api/bridge-points')
      .then((r) => r.json() as Promise<BridgePointDto[]>)
      .then(setBridgePoints);
  }, []);

  const main = pickMainSite(sites, activeSpeaker, mainPeerId);
  useEffect(() => {
    const next = main?.peerId ?? null;
    if (next === mainPeerId) return;
    setMainPeerId(next);
    void client.setFocus(next);
  }, [client, main?.peerId, mainPeerId]);

  const self = bridgePoints.find((b) => b.code === bridgePointCode);
  const grouped = useMemo(
    () => ({
      PROVINCE: bridgePoints.filter((b) => b.level === 'PROVINCE'),
      COMMUNE: bridgePoints.filter((b) => b.level === 'COMMUNE'),
    }),
    [bridgePoints],
  );

  const onJoin = (event: FormEvent) => {
    event.preventDefault();
    const videoCodec = params.get('codec') === 'h264' ? 'h264' : 'vp8';
    void client.join({ meetingId, bridgePointCode, videoCodec }).catch(() => undefined);
  };

  const inMeeting = state === 'joined' || state === 'reconnecting';
  return (
    <main className="bridge-point">
      <p className="status" data-testid="connection-state" data-state={state}>
        {t(`state.${state}`, { message: error?.message ?? '' })}
      </p>
      {!inMeeting && (
        <form className="join-form" onSubmit={onJoin}>
          <h2>{t('join.heading')}</h2>
          <label>
            {t('join.meeting')}
            <input name="meeting" value={meetingId} onChange={(e) => setMeetingId(e.target.value)} required pattern="[a-z0-9][a-z0-9-]{0,63}" />
          </label>
          <label>
            {t('join.bridgePoint')}
            <select name="bridgePoint" value={bridgePointCode} onChange={(e) => setBridgePointCode(e.target.value)} required>
              <option value="">{t('join.choose')}</option>
              <optgroup label={t('join.provincial')}>
                {grouped.PROVINCE.map((b) => (
                  <option key={b.code} value={b.code}>{b.name}</option>
                ))}
              </optgroup>
              <optgroup label={t('join.commune')}>
                {grouped.COMMUNE.map((b) => (
                  <option key={b.code} value={b.code}>{b.name}</option>
                ))}
              </optgroup>
            </select>
          </label>
          <button type="submit" disabled={state === 'connecting' || !bridgePointCode}>
            {state === 'connecting' ? t('join.joining') : t('join.submit')}
          </button>
        </form>
      )}
      {inMeeting && (
        <section className="meeting">
          <div className="stage">
            {main ? (
              <VideoTile
                testId="main-tile"
                large
                siteCode={main.bridgePointCode}
                label={main.bridgePointName}
                track={main.videoTrack}
                speaking={main.peerId === activeSpeaker}
                videoMuted={main.videoMuted}
                audioMuted={main.audioMuted}
              />
            ) : (
              <p className="waiting">{t('meeting.waitingForSites')}</p>
            )}
          </div>
          <div className="thumbnails" aria-label={t('meeting.sites', { count: sites.length })}>
            <VideoTile
              testId="self-tile"
              local
              siteCode={bridgePointCode}
              label={t('meeting.you', { name: self?.name ?? bridgePointCode })}
              stream={local.stream}
              videoMuted={local.cameraMuted}
              audioMuted={local.microphoneMuted}
            />
            {sites
              .filter((s) => s.peerId !== main?.peerId)
              .map((s) => (
                <VideoTile
                  key={s.peerId}
                  testId="site-tile"
                  siteCode={s.bridgePointCode}
                  label={s.bridgePointName}
                  track={s.videoTrack}
                  speaking={s.peerId === activeSpeaker}
                  videoMuted={s.videoMuted}
                  audioMuted={s.audioMuted}
                />
              ))}
          </div>
          {sites.map((s) => s.audioTrack && <RemoteAudio key={s.peerId} track={s.audioTrack} />)}
          <div className="controls">
            <button type="button" data-testid="toggle-mic" onClick={() => void client.setMuted('microphone', !local.microphoneMuted)}>
              {local.microphoneMuted ? t('meeting.unmuteMic') : t('meeting.muteMic')}
            </button>
            <button type="button" data-testid="toggle-camera" onClick={() => void client.setMuted('camera', !local.cameraMuted)}>
              {local.cameraMuted ? t('meeting.unmuteCamera') : t('meeting.muteCamera')}
            </button>
            <button type="button" className="danger" data-testid="leave" onClick={() => void client.leave()}>
              {t('meeting.leave')}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
