import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IngestCreatedDto, IngestKind, MeetingState } from '../../../shared/meetings';
import { api } from '../api/http';
import { errorText } from '../api/errors';

/**
 * The chair's feeds from outside (the Government's meeting, an encoder): each with whether its encoder
 * sends now; a new one shows its WHIP address and token once, to be entered in the encoder.
 */
export function FeedPanel({
  meeting,
  present,
  mute,
}: {
  meeting: MeetingState;
  /** The chair gives the presentation floor to a feed (its picture shown as the content), or takes it back (null). */
  present: (code: string | null) => Promise<unknown>;
  /** The chair mutes a feed (its microphone paused in the SFU), or lets it be heard again. */
  mute: (code: string, muted: boolean) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<IngestKind>('whip');
  const [source, setSource] = useState('');
  const [created, setCreated] = useState<IngestCreatedDto>();
  const [error, setError] = useState<string>();
  const base = `/api/meetings/${meeting.meetingId}/ingests`;

  const add = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    api
      .post<IngestCreatedDto>(base, kind === 'rtsp' || kind === 'sip' ? { name, kind, source } : { name, kind })
      .then((feed) => {
        setCreated(feed);
        setName('');
        setSource('');
      })
      .catch((e: unknown) => setError(errorText(e)));
  };
  const remove = (feed: MeetingState['feeds'][number]) => {
    setError(undefined);
    // a room system that dialled in is hung up; a feed added by the chair is removed
    const path = feed.dialledIn ? `/api/meetings/${meeting.meetingId}/dial-in/calls/${feed.id}` : `${base}/${feed.id}`;
    api.delete(path).catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <section className="feeds" data-testid="feed-panel">
      <h3>{t('feeds.title')}</h3>
      <ul>
        {meeting.feeds.map((feed) => (
          <li
            key={feed.id}
            data-testid="feed-row"
            data-feed-code={feed.code}
            data-presence={feed.presence}
            data-muted={feed.mutedByChair ? 'true' : 'false'}
            data-hand={feed.handRaised ? 'true' : 'false'}
          >
            {feed.name} <span className={`presence presence-${feed.presence}`}>{t(`feeds.presence.${feed.presence}`)}</span>
            {feed.handRaised && <span data-testid="feed-hand"> ✋ {t('chair.hands')}</span>}
            <button
              type="button"
              data-testid="feed-mute"
              aria-pressed={feed.mutedByChair === true}
              disabled={feed.presence !== 'connected'}
              onClick={() => {
                mute(feed.code, !feed.mutedByChair).catch((e: unknown) => setError(errorText(e)));
              }}
            >
              {feed.mutedByChair ? t('chair.unmute') : t('chair.mute')}
            </button>
            <button
              type="button"
              data-testid="feed-present"
              aria-pressed={meeting.presenterCode === feed.code}
              disabled={feed.presence !== 'connected' && meeting.presenterCode !== feed.code}
              onClick={() => {
                present(meeting.presenterCode === feed.code ? null : feed.code).catch((e: unknown) => setError(errorText(e)));
              }}
            >
              {meeting.presenterCode === feed.code ? t('chair.revokePresentation') : t('chair.givePresentation')}
            </button>
            <button type="button" className="danger" data-testid="feed-remove" onClick={() => remove(feed)}>
              {feed.dialledIn ? t('feeds.hangUp') : t('feeds.remove')}
            </button>
          </li>
        ))}
      </ul>
      {(meeting.feeds.some((feed) => feed.kind === 'sip') || meeting.sites.some((site) => site.roomSystem)) && (
        <p data-testid="sip-keypad-legend">{t('feeds.sipKeypad')}</p>
      )}
      <form onSubmit={add}>
        <label>
          {t('feeds.name')}
          <input data-testid="feed-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('feeds.kind')}
          <select data-testid="feed-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="whip">WHIP</option>
            <option value="rtmp">RTMP</option>
            <option value="srt">SRT</option>
            <option value="rtsp">RTSP</option>
            <option value="sip">{t('feeds.sipKind')}</option>
          </select>
        </label>
        {(kind === 'rtsp' || kind === 'sip') && (
          <label>
            {t(kind === 'sip' ? 'feeds.sipSource' : 'feeds.source')}
            <input
              data-testid="feed-source"
              required
              type={kind === 'sip' ? 'text' : 'url'}
              placeholder={kind === 'sip' ? 'sip:mcu@10.0.0.5' : 'rtsp://…'}
              value={source}
              onChange={(e) => setSource(e.target.value)}
            />
          </label>
        )}
        <button type="submit" data-testid="add-feed">
          {t('feeds.add')}
        </button>
      </form>
      {created && (
        <dl className="feed-created" data-testid="feed-created">
          <dt>{t(`feeds.url.${created.kind}`)}</dt>
          <dd data-testid="feed-url">{created.url}</dd>
          {created.kind !== 'rtsp' && created.kind !== 'sip' && (
            <>
              <dt>{t(`feeds.token.${created.kind}`)}</dt>
              <dd data-testid="feed-token">{created.token}</dd>
              <dd className="notice">{t('feeds.tokenOnce')}</dd>
            </>
          )}
        </dl>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
