import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingState } from '../../../shared/meetings';
import type { RemoteSite } from '../meeting/MeetingClientTypes';
import type { MeetingView } from '../meeting/useMeetingClient';
import { RemoteAudio, VideoTile } from './VideoTile';

/** Who is shown large: the chair's spotlight, else the site holding the floor, else the active speaker. */
function pickMainSite(
  sites: RemoteSite[],
  meeting: MeetingState | null,
  activeSpeaker: string | null,
  previous: string | null,
): RemoteSite | undefined {
  const byCode = (code: string | null | undefined) => (code ? sites.find((s) => s.bridgePointCode === code) : undefined);
  return (
    byCode(meeting?.spotlightCode) ??
    byCode(meeting?.floorCode) ??
    sites.find((s) => s.peerId === activeSpeaker) ??
    sites.find((s) => s.peerId === previous) ??
    byCode(meeting?.hostBridgePointCode) ??
    sites[0]
  );
}

/** The meeting as a site sees it: the main site large, the others small, its own controls and the roll call. */
export function MeetingStage({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, sites, activeSpeaker, local, meeting } = view;
  const [mainPeerId, setMainPeerId] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const main = pickMainSite(sites, meeting, activeSpeaker, mainPeerId);
  const shownPeerId = main?.peerId ?? null;
  // the main site sticks until another takes its place: remember it during render (React's "previous value" pattern)
  if (shownPeerId !== mainPeerId) setMainPeerId(shownPeerId);
  /** Runs a control's action; what goes wrong is shown above the stage. */
  const run = (action: Promise<unknown>) => {
    action.catch((e: Error) => setError(e.message));
  };

  useEffect(() => {
    // the focused site's video is asked for at the large layer; the others at the thumbnail layer
    client.setFocus(shownPeerId).catch((e: Error) => setError(e.message));
  }, [client, shownPeerId]);

  const self = meeting?.sites.find((s) => s.code === client.siteCode);
  return (
    <section className="meeting">
      {meeting && <h2 className="meeting-title">{meeting.title}</h2>}
      {local.mutedByChair && (
        <p className="notice" data-testid="muted-by-chair">
          {t('meeting.mutedByChair')}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="meeting-error">
          {error}
        </p>
      )}
      <RollCallPrompt view={view} />
      <div className="stage">
        {main ? (
          <RemoteTile site={main} testId="main-tile" large activeSpeaker={activeSpeaker} />
        ) : (
          <p className="waiting">{t('meeting.waitingForSites')}</p>
        )}
      </div>
      <div className="thumbnails" aria-label={t('meeting.sites', { count: sites.length })}>
        <VideoTile
          testId="self-tile"
          local
          siteCode={client.siteCode ?? ''}
          label={t('meeting.you', { name: self?.name ?? client.siteCode ?? '' })}
          stream={local.stream}
          videoMuted={local.cameraMuted}
          audioMuted={local.microphoneMuted}
        />
        {sites
          .filter((s) => s.peerId !== main?.peerId)
          .map((s) => (
            <RemoteTile key={s.peerId} site={s} testId="site-tile" activeSpeaker={activeSpeaker} />
          ))}
      </div>
      {sites.map((s) => s.audioTrack && <RemoteAudio key={s.peerId} siteCode={s.bridgePointCode} track={s.audioTrack} />)}
      <div className="controls">
        <button
          type="button"
          data-testid="toggle-mic"
          disabled={local.mutedByChair}
          onClick={() => run(client.setMuted('microphone', !local.microphoneMuted))}
        >
          {local.microphoneMuted ? t('meeting.unmuteMic') : t('meeting.muteMic')}
        </button>
        <button type="button" data-testid="toggle-camera" onClick={() => run(client.setMuted('camera', !local.cameraMuted))}>
          {local.cameraMuted ? t('meeting.unmuteCamera') : t('meeting.muteCamera')}
        </button>
        {!client.isChair && (
          <button
            type="button"
            data-testid="raise-hand"
            aria-pressed={self?.handRaised ?? false}
            onClick={() => run(client.command('hand:raise', { raised: !self?.handRaised }))}
          >
            {self?.handRaised ? t('meeting.lowerHand') : t('meeting.raiseHand')}
          </button>
        )}
        <button type="button" className="danger" data-testid="leave" onClick={() => run(client.leave())}>
          {t('meeting.leave')}
        </button>
      </div>
    </section>
  );
}

function RemoteTile({
  site,
  testId,
  large,
  activeSpeaker,
}: {
  site: RemoteSite;
  testId: string;
  large?: boolean;
  activeSpeaker: string | null;
}) {
  return (
    <VideoTile
      testId={testId}
      large={large}
      siteCode={site.bridgePointCode}
      label={site.bridgePointName}
      track={site.videoTrack}
      speaking={site.peerId === activeSpeaker}
      videoMuted={site.videoMuted}
      audioMuted={site.audioMuted}
    />
  );
}

function RollCallPrompt({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting } = view;
  const [headCount, setHeadCount] = useState('');
  const [reporterName, setReporterName] = useState('');
  const [error, setError] = useState<string>();
  const rollCall = meeting?.rollCall;
  if (!rollCall || rollCall.closedAt) return null;
  const answered = rollCall.entries.find((e) => e.code === client.siteCode);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    client.command('rollCall:confirm', { headCount: Number(headCount), reporterName }).catch((e: Error) => setError(e.message));
  };
  return (
    <form className="roll-call" data-testid="roll-call-form" onSubmit={onSubmit}>
      <strong>{t('rollCall.prompt')}</strong>
      {answered && <span data-testid="roll-call-confirmed">{t('rollCall.confirmed', { count: answered.headCount })}</span>}
      <label>
        {t('rollCall.headCount')}
        <input
          name="headCount"
          type="number"
          min={0}
          max={10000}
          required
          value={headCount}
          onChange={(e) => setHeadCount(e.target.value)}
        />
      </label>
      <label>
        {t('rollCall.reporterName')}
        <input name="reporterName" required maxLength={100} value={reporterName} onChange={(e) => setReporterName(e.target.value)} />
      </label>
      <button type="submit">{answered ? t('rollCall.update') : t('rollCall.confirm')}</button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
