import { useTranslation } from 'react-i18next';
import { MeetingList, useOpenMeetings } from '../components/MeetingList';
import { MeetingStage } from '../components/MeetingStage';
import { useMeetingClient } from '../meeting/useMeetingClient';

const videoCodec = () => (new URLSearchParams(window.location.search).get('codec') === 'h264' ? 'h264' : 'vp8');

/** A bridge point (điểm cầu): its invited meetings, then the meeting itself. */
export function BridgePointPage() {
  const { t } = useTranslation();
  const view = useMeetingClient();
  const { client, state, error, meeting } = view;
  const inMeeting = state === 'joined' || state === 'reconnecting';
  const { meetings, error: listError } = useOpenMeetings(!inMeeting && state !== 'waiting');

  return (
    <main className="page">
      <ConnectionStatus state={state} message={error?.message} />
      {state === 'waiting' && <p className="notice">{t('meeting.lobby', { title: meeting?.title ?? '' })}</p>}
      {!inMeeting && state !== 'waiting' && state !== 'connecting' && (
        <section>
          <h2>{t('meetings.invited')}</h2>
          {listError && <p className="error">{listError}</p>}
          <MeetingList
            meetings={meetings}
            actions={(m) => (
              <button type="button" onClick={() => void client.join({ meetingId: m.id, videoCodec: videoCodec() }).catch(() => undefined)}>
                {t('join.submit')}
              </button>
            )}
          />
        </section>
      )}
      {inMeeting && <MeetingStage view={view} />}
    </main>
  );
}

export function ConnectionStatus({ state, message }: { state: string; message?: string }) {
  const { t } = useTranslation();
  return (
    <p className="status" data-testid="connection-state" data-state={state}>
      {t(`state.${state}`, { message: message ?? '' })}
    </p>
  );
}
