import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/http';
import { useSession } from '../api/session';
import { ChairPanel } from '../components/ChairPanel';
import { CreateMeetingForm } from '../components/CreateMeetingForm';
import { MeetingList, useOpenMeetings } from '../components/MeetingList';
import { MeetingStage } from '../components/MeetingStage';
import { MeetingSummary } from '../components/MeetingSummary';
import { useMeetingClient } from '../meeting/useMeetingClient';
import { ConnectionStatus } from './BridgePointPage';
import { errorText } from '../api/errors';

/** The chair's console: schedule and open meetings, then run one from the host site. */
export function ChairPage() {
  const { t } = useTranslation();
  const user = useSession()?.user;
  const view = useMeetingClient();
  const { client, state, error } = view;
  const inMeeting = state === 'joined' || state === 'reconnecting' || state === 'waiting';
  const { meetings, reload } = useOpenMeetings(!inMeeting);
  const [startError, setStartError] = useState<string>();
  const mine = meetings.filter((m) => m.chair.username === user?.username);

  return (
    <main className="page">
      <ConnectionStatus state={state} message={error && errorText(error)} />
      {startError && (
        <p className="error" role="alert">
          {startError}
        </p>
      )}
      {!inMeeting && (
        <div className="columns">
          <section>
            <h2>{t('meetings.mine')}</h2>
            <MeetingList
              meetings={mine}
              actions={(m) => (
                <>
                  {m.status === 'SCHEDULED' && (
                    <button
                      type="button"
                      onClick={() => {
                        api
                          .post(`/api/meetings/${m.id}/start`)
                          .then(reload)
                          .catch((e: unknown) => setStartError(errorText(e)));
                      }}
                    >
                      {t('chair.start')}
                    </button>
                  )}
                  <button
                    type="button"
                    data-testid="open-meeting"
                    // a failed join shows in the connection status (the client's state becomes 'failed')
                    onClick={() => {
                      client.join({ meetingId: m.id }).catch(() => undefined);
                    }}
                  >
                    {t('chair.open')}
                  </button>
                </>
              )}
            />
          </section>
          <CreateMeetingForm onCreated={reload} />
        </div>
      )}
      {state === 'ended' && view.meeting && <MeetingSummary meetingId={view.meeting.meetingId} />}
      {inMeeting && (
        <div className="columns">
          {state === 'waiting' ? <p className="notice">{t('chair.notStarted')}</p> : <MeetingStage view={view} />}
          <ChairPanel view={view} />
        </div>
      )}
    </main>
  );
}
