import { VotePrompt } from './VotePrompt';
import { AgendaNow } from '../agenda/AgendaNow';
import { MeetingAgenda } from '../agenda/MeetingAgenda';
import { SpeakerCountdown } from '../speaking/SpeakerCountdown';
import { SpeakRequest } from '../speaking/SpeakRequest';
import type { AgendaState } from '../../../shared/agenda';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isFeedCode, type MeetingState } from '../../../shared/meetings';
import type { RemoteSite } from '../meeting/MeetingClientTypes';
import type { MeetingView } from '../meeting/useMeetingClient';
import { RemoteAudio, VideoTile } from './VideoTile';
import { DeviceSwitcher } from './DeviceSwitcher';
import { errorText, say } from '../api/errors';

/** Thumbnails shown at once (eight by default; `?tiles=N` in the page's address for a smaller screen). */
function tilesPerPage(): number {
  const asked = Number(new URLSearchParams(window.location.search).get('tiles'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 8 ? asked : 8;
}

/** The simulcast layer whose height (180, 360, 720 rows) covers a tile this many device pixels high. */
function layerForHeight(devicePixels: number): number {
  if (devicePixels > 360) return 2;
  if (devicePixels > 180) return 1;
  return 0;
}

/** The element's rendered height in device pixels, followed as it changes. */
function useDeviceHeight(element: HTMLElement | null): number {
  const [height, setHeight] = useState(0);
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setHeight((entry?.contentRect.height ?? 0) * window.devicePixelRatio));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return height;
}

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
  const { client, sites, activeSpeaker, local, meeting, shedSteps } = view;
  const [mainPeerId, setMainPeerId] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [showDevices, setShowDevices] = useState(false);
  const main = pickMainSite(sites, meeting, activeSpeaker, mainPeerId);
  const shownPeerId = main?.peerId ?? null;
  // the main site sticks until another takes its place: remember it during render (React's "previous value" pattern)
  if (shownPeerId !== mainPeerId) setMainPeerId(shownPeerId);
  /** Runs a control's action; what goes wrong is shown above the stage. */
  const run = (action: Promise<unknown>) => {
    action.catch((e: unknown) => setError(errorText(e)));
  };

  // thumbnails come a page at a time; only the large tile and the visible thumbnails receive video
  const perPage = tilesPerPage();
  const others = sites.filter((s) => s.peerId !== main?.peerId);
  const pageCount = Math.max(1, Math.ceil(others.length / perPage));
  const [page, setPage] = useState(0);
  const currentPage = Math.min(page, pageCount - 1);
  const visible = others.slice(currentPage * perPage, (currentPage + 1) * perPage);
  const visibleKey = visible.map((s) => s.peerId).join(',');
  const [mainTile, setMainTile] = useState<HTMLElement | null>(null);
  const largeLayer = layerForHeight(useDeviceHeight(mainTile));
  const self = meeting?.sites.find((s) => s.code === client.siteCode);
  // the presentation is shown large, the main site beside it
  const presenterCode = meeting?.presenterCode ?? null;
  const presenter = presenterCode ? sites.find((s) => s.bridgePointCode === presenterCode) : undefined;
  const presentingHere = presenterCode !== null && presenterCode === client.siteCode;
  // a feed from outside presents its own picture (no screen of its own): its camera is the content; one that sends a
  // screen of its own (a room system's laptop, over BFCP) presents that
  const feedPresenter = presenter && isFeedCode(presenter.bridgePointCode) && !presenter.hasScreen ? presenter.peerId : null;
  const content = presenter && !feedPresenter ? presenter.peerId : null;

  useEffect(() => {
    const small = [...(visibleKey ? visibleKey.split(',') : []), ...(feedPresenter ? [feedPresenter] : [])];
    client.setShownVideos({ large: shownPeerId, small, largeLayer, content }).catch((e: unknown) => setError(errorText(e)));
  }, [client, shownPeerId, visibleKey, largeLayer, content, feedPresenter]);

  return (
    <section className="meeting">
      {meeting && <h2 className="meeting-title">{meeting.title}</h2>}
      {meeting && (
        <AgendaNow
          agenda={meeting.agenda}
          since={view.agendaSince}
          siteName={(code) => meeting.sites.find((site) => site.code === code)?.name ?? code}
        />
      )}
      {meeting && (
        <SpeakerCountdown
          speaking={meeting.speaking}
          since={view.speechSince}
          siteName={(code) => meeting.sites.find((site) => site.code === code)?.name ?? code}
        />
      )}
      {meeting?.floorCode && meeting.floorCode === client.siteCode && !client.isChair && (
        <p className="notice" data-testid="floor-notice">
          {t('meeting.yourFloor')}
        </p>
      )}
      {local.cameraTrouble && (
        <p className="notice" data-testid="camera-trouble">
          {say(local.cameraTrouble)}
        </p>
      )}
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
      {meeting?.program.recording && (
        <p
          className="recording-notice"
          role="status"
          data-testid="recording-notice"
          data-paused={meeting.program.recording.paused ? 'true' : 'false'}
        >
          {t('program.recordingNotice', {
            time: new Date(meeting.program.recording.startedAt).toLocaleTimeString('vi-VN'),
            by: meeting.program.recording.startedBy,
          })}
          {meeting.program.recording.paused && <strong data-testid="recording-paused"> {t('program.recordingPaused')}</strong>}
        </p>
      )}
      {shedSteps.includes('thumbnails') && (
        <p className="notice" role="status" data-testid="load-shedding">
          {t('meeting.thumbnailsLowered')}
        </p>
      )}
      {/* the host room's own head count */}
      {client.isChair && <RollCallPrompt view={view} />}
      <div className={client.isChair ? 'meeting-body' : 'meeting-body with-side'}>
        {/* what a site answers or asks for, beside its video on a wide screen (above it on a narrow one); the chair's
          console has its own panels */}
        {!client.isChair && (
          <aside className="meeting-side" data-testid="meeting-side">
            <RollCallPrompt view={view} />
            <VotePrompt view={view} />
            <SpeakRequest view={view} />
            {meeting && meeting.agenda.items.length > 0 && <AgendaDetails meetingId={meeting.meetingId} agenda={meeting.agenda} />}
          </aside>
        )}
        <div className="meeting-main">
          {presentingHere && !local.screen && (
            <p className="notice" data-testid="presentation-granted">
              {t('meeting.presentationGranted')}
            </p>
          )}
          <div className={presenterCode ? 'stage stage-presenting' : 'stage'}>
            {presenterCode && (
              <VideoTile
                testId="content-tile"
                large
                siteCode={presenterCode}
                label={t('meeting.presentationOf', { name: presenter?.bridgePointName ?? self?.name ?? presenterCode })}
                track={feedPresenter ? presenter?.videoTrack : presenter?.screenTrack}
                stream={presentingHere ? local.screen : undefined}
              />
            )}
            {main ? (
              <RemoteTile site={main} testId="main-tile" large activeSpeaker={activeSpeaker} tileRef={setMainTile} />
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
            {visible.map((s) => (
              <RemoteTile key={s.peerId} site={s} testId="site-tile" activeSpeaker={activeSpeaker} />
            ))}
          </div>
          {pageCount > 1 && (
            <div className="tile-pages">
              <button type="button" data-testid="tiles-previous" disabled={currentPage === 0} onClick={() => setPage(currentPage - 1)}>
                {t('meeting.previousTiles')}
              </button>
              <span data-testid="tiles-page">{t('meeting.tilesPage', { page: currentPage + 1, count: pageCount })}</span>
              <button
                type="button"
                data-testid="tiles-next"
                disabled={currentPage === pageCount - 1}
                onClick={() => setPage(currentPage + 1)}
              >
                {t('meeting.nextTiles')}
              </button>
            </div>
          )}
          <SiteRoster sites={sites} shown={new Set([main?.peerId, ...visible.map((s) => s.peerId)])} />
          {sites.map(
            (s) =>
              s.audioTrack && (
                <RemoteAudio key={s.peerId} siteCode={s.bridgePointCode} track={s.audioTrack} speakerId={local.devices.speakerId} />
              ),
          )}
          <div className="controls meeting-controls">
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
            <button
              type="button"
              data-testid="present"
              aria-pressed={Boolean(local.screen)}
              onClick={() => run(local.screen ? client.stopPresenting() : client.present())}
            >
              {local.screen ? t('meeting.stopPresenting') : t('meeting.present')}
            </button>
            <button type="button" data-testid="show-devices" aria-pressed={showDevices} onClick={() => setShowDevices(!showDevices)}>
              {t('devices.devices')}
            </button>
            <button type="button" className="danger" data-testid="leave" onClick={() => run(client.leave())}>
              {t('meeting.leave')}
            </button>
          </div>
          {showDevices && <DeviceSwitcher view={view} onError={setError} />}
        </div>
      </div>
    </section>
  );
}

/** Every site in the meeting by name, with its microphone and camera state, whether its video is on screen or not. */
function SiteRoster({ sites, shown }: { sites: RemoteSite[]; shown: Set<string | undefined> }) {
  const { t } = useTranslation();
  return (
    <ul className="roster" data-testid="site-roster" aria-label={t('meeting.sites', { count: sites.length })}>
      {sites.map((s) => (
        <li key={s.peerId} data-site-code={s.bridgePointCode} data-mic={s.audioMuted ? 'off' : 'on'} data-on-screen={shown.has(s.peerId)}>
          <span>{s.bridgePointName}</span>
          <span className="badge">{s.audioMuted ? t('meeting.micOff') : t('meeting.micOn')}</span>
          {s.videoMuted && <span className="badge">{t('meeting.cameraOff')}</span>}
        </li>
      ))}
    </ul>
  );
}

function RemoteTile({
  site,
  testId,
  large,
  activeSpeaker,
  tileRef,
}: {
  site: RemoteSite;
  testId: string;
  large?: boolean;
  activeSpeaker: string | null;
  tileRef?: (element: HTMLElement | null) => void;
}) {
  return (
    <VideoTile
      ref={tileRef}
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
    client.command('rollCall:confirm', { headCount: Number(headCount), reporterName }).catch((e: unknown) => setError(errorText(e)));
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

/** The agenda and its documents, folded away until a site opens it; read again when the agenda changes. */
function AgendaDetails({ meetingId, agenda }: { meetingId: string; agenda: AgendaState }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const version = agenda.items.map((item) => `${item.id}:${item.title}:${item.documentCount}`).join(',');
  return (
    <details className="agenda-details" data-testid="agenda-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('agenda.detailsHeading', { count: agenda.items.length })}</summary>
      {open && <MeetingAgenda meetingId={meetingId} version={version} />}
    </details>
  );
}
