import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingView } from '../meeting/useMeetingClient';
import { errorText } from '../api/errors';

/**
 * A site asks for the floor with a topic and who will speak (the controls' "Xin phát biểu" asks with neither, and
 * withdraws); waiting, it sees its place and may still say them.
 */
export function SpeakRequest({ view }: { view: MeetingView }) {
  const { t } = useTranslation();
  const { client, meeting, speechDeclined } = view;
  const [topic, setTopic] = useState('');
  const [delegateName, setDelegateName] = useState('');
  const [error, setError] = useState<string>();
  if (!meeting || meeting.status !== 'LIVE' || client.isChair) return null;
  const requests = meeting.speaking.requests;
  const place = requests.findIndex((request) => request.code === client.siteCode);
  const speaking = meeting.speaking.current?.code === client.siteCode;
  const run = (action: Promise<unknown>) => {
    setError(undefined);
    action.then(
      () => undefined,
      (e: unknown) => setError(errorText(e)),
    );
  };
  const onRequest = (event: FormEvent) => {
    event.preventDefault();
    run(client.command('speech:request', { topic: topic || undefined, delegateName: delegateName || undefined }));
  };
  if (speaking) return null;
  return (
    <section className="speak-request" data-testid="speak-request" data-place={place >= 0 ? place + 1 : undefined}>
      {place >= 0 && (
        <p role="status" data-testid="speak-place">
          {t('speaking.waiting', { place: place + 1, count: requests.length })}
        </p>
      )}
      {speechDeclined && place < 0 && (
        <p className="notice" role="status" data-testid="speak-declined">
          {t('speaking.declined')}
        </p>
      )}
      <form className="form inline" onSubmit={onRequest}>
        <input
          maxLength={200}
          placeholder={t('speaking.topic')}
          aria-label={t('speaking.topic')}
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
        />
        <input
          maxLength={100}
          placeholder={t('speaking.delegateName')}
          aria-label={t('speaking.delegateName')}
          value={delegateName}
          onChange={(e) => setDelegateName(e.target.value)}
        />
        <button type="submit" data-testid="speak-ask">
          {place >= 0 ? t('speaking.update') : t('speaking.ask')}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
