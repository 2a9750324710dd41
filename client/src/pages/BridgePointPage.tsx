import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DevicePreview } from '../components/DevicePreview';
import { MeetingList, useOpenMeetings } from '../components/MeetingList';
import { MeetingStage } from '../components/MeetingStage';
import { MeetingAgenda } from '../agenda/MeetingAgenda';
import { useMeetingClient } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';

const videoCodec = () => (new URLSearchParams(window.location.search).get('codec') === 'h264' ? 'h264' : 'vp8');

/** A bridge point (điểm cầu): its invited meetings, then the meeting itself. */
export function BridgePointPage() {
  const { t } = useTranslation();
  const view = useMeetingClient();
  const { client, state, error, meeting } = view;
  const inMeeting = state === 'joined' || state === 'reconnecting';
  const { meetings, error: listError } = useOpenMeetings(!inMeeting && state !== 'waiting');
  // the meeting a site is getting ready for: its camera, microphone and speaker are chosen first
  const [preparing, setPreparing] = useState<string>();
  // the meeting whose agenda and documents the site is reading before it joins
  const [readingAgenda, setReadingAgenda] = useState<string>();

  return (
    <main className="page">
      <ConnectionStatus state={state} message={error && errorText(error)} />
      {state === 'waiting' && <p className="notice">{t('meeting.lobby', { title: meeting?.title ?? '' })}</p>}
      {preparing && (
        <DevicePreview
          onCancel={() => setPreparing(undefined)}
          onJoin={(media, devices) => {
            setPreparing(undefined);
            client.join({ meetingId: preparing, videoCodec: videoCodec(), media, devices }).catch(() => undefined);
          }}
        />
      )}
      {!preparing && !inMeeting && state !== 'waiting' && state !== 'connecting' && (
        <section>
          <h2>{t('meetings.invited')}</h2>
          {listError && <p className="error">{listError}</p>}
          <MeetingList
            meetings={meetings}
            actions={(m) => (
              <>
                <button type="button" onClick={() => setPreparing(m.id)}>
                  {t('join.submit')}
                </button>{' '}
                <button
                  type="button"
                  data-testid="agenda-show"
                  aria-pressed={m.id === readingAgenda}
                  onClick={() => setReadingAgenda(m.id === readingAgenda ? undefined : m.id)}
                >
                  {t('agenda.show')}
                </button>
              </>
            )}
          />
          {readingAgenda && (
            <section className="agenda-reading" data-testid="agenda-reading">
              <h3>
                {t('agenda.heading')}: {meetings.find((m) => m.id === readingAgenda)?.title}
              </h3>
              <MeetingAgenda meetingId={readingAgenda} />
            </section>
          )}
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
