import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingState } from '../../../shared/meetings';
import { api } from '../api/http';
import { FeedPanel } from './FeedPanel';
import { ProgramPanel } from './ProgramPanel';
import { VotePanel } from './VotePanel';
import { AgendaPanel } from '../agenda/AgendaPanel';
import { SpeakingPanel } from '../speaking/SpeakingPanel';
import type { MeetingView } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';

/** The chair's console: every invited site with status and uplink quality, and the meeting's controls. */
export function ChairPanel({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting, quality } = view;
  const [error, setError] = useState<string>();
  if (!meeting) return null;
  const live = meeting.status === 'LIVE';
  const run = (action: Promise<unknown>) => {
    setError(undefined);
    action.catch((e: unknown) => setError(errorText(e)));
  };
  const rollCallOpen = !!meeting.rollCall && !meeting.rollCall.closedAt;

  return (
    <aside className="chair-panel" data-testid="chair-panel">
      <div className="controls">
        {meeting.status === 'SCHEDULED' && (
          <button type="button" data-testid="start-meeting" onClick={() => run(api.post(`/api/meetings/${meeting.meetingId}/start`))}>
            {t('chair.start')}
          </button>
        )}
        <button type="button" data-testid="mute-all" disabled={!live} onClick={() => run(client.command('chair:muteAll', {}))}>
          {t('chair.muteAll')}
        </button>
        <button
          type="button"
          data-testid="lock-meeting"
          disabled={!live}
          aria-pressed={meeting.locked}
          onClick={() => run(client.command('chair:lock', { locked: !meeting.locked }))}
        >
          {meeting.locked ? t('chair.unlock') : t('chair.lock')}
        </button>
        {live && meeting.sites.some((s) => s.roomSystemPaired && s.presence !== 'connected' && !s.dialOut) && (
          <button
            type="button"
            data-testid="call-room-systems"
            onClick={() => run(api.post(`/api/meetings/${meeting.meetingId}/room-systems/call`))}
          >
            {t('chair.callRoomSystems')}
          </button>
        )}
        <button
          type="button"
          data-testid="roll-call-toggle"
          disabled={!live}
          onClick={() => run(client.command('chair:rollCall', { open: !rollCallOpen }))}
        >
          {rollCallOpen ? t('chair.closeRollCall') : t('chair.openRollCall')}
        </button>
        {(meeting.spotlightCode || meeting.floorCode) && (
          <button
            type="button"
            onClick={() =>
              run(
                Promise.all([
                  client.command('chair:spotlight', { bridgePointCode: null }),
                  client.command('chair:giveFloor', { bridgePointCode: null }),
                ]),
              )
            }
          >
            {t('chair.clearFocus')}
          </button>
        )}
        <button
          type="button"
          className="danger"
          data-testid="end-meeting"
          onClick={() => window.confirm(t('chair.confirmEnd')) && run(api.post(`/api/meetings/${meeting.meetingId}/end`))}
        >
          {t('chair.end')}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <SpeakingPanel view={view} />
      <table className="table">
        <thead>
          <tr>
            <th>{t('chair.site')}</th>
            <th>{t('chair.presence')}</th>
            <th>{t('chair.quality')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {meeting.sites.map((site) => {
            const q = quality.get(site.code);
            const connected = site.presence === 'connected';
            const host = site.code === meeting.hostBridgePointCode;
            return (
              <tr
                key={site.code}
                data-testid="site-row"
                data-site-code={site.code}
                data-presence={site.presence}
                data-muted={site.mutedByChair}
                data-hand={site.handRaised}
                data-room-system={site.roomSystem === true}
              >
                <td>
                  {site.name} {site.handRaised && <span className="badge badge-speaking">{t('chair.handRaised')}</span>}
                  {site.roomSystem && <span className="badge">{t('chair.roomSystem')}</span>}
                </td>
                <td>
                  <span className={`presence presence-${site.presence}`}>{t(`presence.${site.presence}`)}</span>
                  {site.mutedByChair && <span className="badge">{t('meeting.micOff')}</span>}
                  {site.dialOut && (
                    <span className="badge" data-testid="dial-out-state" data-state={site.dialOut.state}>
                      {t(`chair.dialOut.${site.dialOut.state}`, { ...site.dialOut, reason: site.dialOut.reason ?? '' })}
                    </span>
                  )}
                  {meeting.presenterCode === site.code && <span className="badge">{t('chair.presenting')}</span>}
                </td>
                <td
                  className={q && q.lossPercent >= 5 ? 'quality-poor' : undefined}
                  data-testid="site-quality"
                  data-loss-percent={connected && q ? q.lossPercent : undefined}
                >
                  {connected && q ? t('chair.qualityValue', { ...q }) : '–'}
                </td>
                <td className="row-actions">
                  {live && site.roomSystemPaired && !connected && (
                    <button
                      type="button"
                      data-testid="call-room-system"
                      onClick={() =>
                        run(
                          site.dialOut && site.dialOut.state !== 'failed'
                            ? api.delete(`/api/meetings/${meeting.meetingId}/room-systems/${site.code}/call`)
                            : api.post(`/api/meetings/${meeting.meetingId}/room-systems/${site.code}/call`),
                        )
                      }
                    >
                      {site.dialOut && site.dialOut.state !== 'failed' ? t('chair.stopCalling') : t('chair.callRoomSystem')}
                    </button>
                  )}
                  {!host && (
                    <button
                      type="button"
                      data-testid="mute-site"
                      disabled={!live}
                      onClick={() => run(client.command('chair:muteSite', { bridgePointCode: site.code, muted: !site.mutedByChair }))}
                    >
                      {site.mutedByChair ? t('chair.unmute') : t('chair.mute')}
                    </button>
                  )}
                  <button
                    type="button"
                    data-testid="give-floor"
                    disabled={!live || !connected}
                    title={t('chair.giveFloorHint')}
                    onClick={() => run(client.command('chair:giveFloor', { bridgePointCode: site.code }))}
                  >
                    {site.mutedByChair ? t('chair.giveFloorUnmuting') : t('chair.giveFloor')}
                  </button>
                  <button
                    type="button"
                    data-testid="give-presentation"
                    aria-pressed={meeting.presenterCode === site.code}
                    disabled={!live || (!connected && meeting.presenterCode !== site.code)}
                    onClick={() =>
                      run(client.command('chair:presentation', { bridgePointCode: meeting.presenterCode === site.code ? null : site.code }))
                    }
                  >
                    {meeting.presenterCode === site.code ? t('chair.revokePresentation') : t('chair.givePresentation')}
                  </button>
                  <button
                    type="button"
                    data-testid="spotlight-site"
                    disabled={!live || !connected}
                    onClick={() => run(client.command('chair:spotlight', { bridgePointCode: site.code }))}
                  >
                    {t('chair.spotlight')}
                  </button>
                  {!host && (
                    <button
                      type="button"
                      className="danger"
                      data-testid="remove-site"
                      disabled={!live || site.presence === 'removed'}
                      onClick={() => run(client.command('chair:removeSite', { bridgePointCode: site.code }))}
                    >
                      {t('chair.remove')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FeedPanel
        meeting={meeting}
        present={(code) => client.command('chair:presentation', { bridgePointCode: code })}
        mute={(code, muted) => client.command('chair:muteSite', { bridgePointCode: code, muted })}
      />
      <ProgramPanel meeting={meeting} />
      <RollCallTable meeting={meeting} />
      <AgendaPanel view={view} />
      <VotePanel view={view} />
    </aside>
  );
}

function RollCallTable({ meeting }: { meeting: MeetingState }) {
  const { t } = useTranslation();
  const rollCall = meeting.rollCall;
  if (!rollCall) return null;
  const total = rollCall.entries.reduce((n, e) => n + e.headCount, 0);
  return (
    <section>
      <h3>
        {t('rollCall.heading')} — {rollCall.closedAt ? t('rollCall.closed') : t('rollCall.open')}
      </h3>
      <table className="table" data-testid="roll-call-table">
        <thead>
          <tr>
            <th>{t('chair.site')}</th>
            <th>{t('rollCall.headCount')}</th>
            <th>{t('rollCall.reporterName')}</th>
          </tr>
        </thead>
        <tbody>
          {rollCall.entries.map((e) => (
            <tr key={e.code} data-testid="roll-call-row" data-site-code={e.code} data-head-count={e.headCount}>
              <td>{meeting.sites.find((s) => s.code === e.code)?.name ?? e.code}</td>
              <td>{e.headCount}</td>
              <td>{e.reporterName}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t('rollCall.total', { sites: rollCall.entries.length, invited: meeting.sites.length })}</th>
            <th data-testid="roll-call-total">{total}</th>
            <th />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
