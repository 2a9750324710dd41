import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgePointDto, HostLevel, MeetingDto } from '../../../shared/meetings';
import { unitLevels } from '../../../shared/meetings';
import { api } from '../api/http';
import { errorText } from '../api/errors';

/** `<input type="datetime-local">` value for a Date, in the browser's zone. */
function localInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function CreateMeetingForm({ onCreated }: { onCreated: (meeting: MeetingDto) => void }) {
  const { t } = useTranslation();
  const [points, setPoints] = useState<BridgePointDto[]>([]);
  const [title, setTitle] = useState('');
  const [hostLevel, setHostLevel] = useState<HostLevel>('PROVINCIAL');
  const [start, setStart] = useState(() => localInput(new Date(Date.now() + 10 * 60_000)));
  const [end, setEnd] = useState(() => localInput(new Date(Date.now() + 130 * 60_000)));
  const [invited, setInvited] = useState(new Set<string>());
  const [callRoomSystemsAtStart, setCallRoomSystemsAtStart] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    api
      .get<BridgePointDto[]>('/api/bridge-points')
      .then(setPoints)
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  const toggle = (codes: string[], on: boolean) =>
    setInvited((previous) => {
      const next = new Set(previous);
      for (const code of codes)
        if (on) next.add(code);
        else next.delete(code);
      return next;
    });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    api
      .post<MeetingDto>('/api/meetings', {
        title,
        hostLevel,
        scheduledStart: new Date(start).toISOString(),
        scheduledEnd: new Date(end).toISOString(),
        invitedCodes: [...invited],
        callRoomSystemsAtStart,
      })
      .then((meeting) => {
        setTitle('');
        setInvited(new Set());
        onCreated(meeting);
      })
      .catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <form className="form" data-testid="create-meeting" onSubmit={onSubmit}>
      <h2>{t('meetings.create')}</h2>
      <label>
        {t('meetings.title')}
        <input name="title" required minLength={3} maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        {t('meetings.hostLevel')}
        <select name="hostLevel" value={hostLevel} onChange={(e) => setHostLevel(e.target.value as HostLevel)}>
          <option value="PROVINCIAL">{t('hostLevel.PROVINCIAL')}</option>
          <option value="GOVERNMENT">{t('hostLevel.GOVERNMENT')}</option>
        </select>
      </label>
      <label>
        {t('meetings.start')}
        <input name="start" type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <label>
        {t('meetings.end')}
        <input name="end" type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} />
      </label>
      {unitLevels.map((level) => {
        const group = points.filter((p) => p.level === level);
        if (group.length === 0) return null;
        return (
          <fieldset key={level}>
            <legend>
              <label>
                <input
                  type="checkbox"
                  checked={group.every((p) => invited.has(p.code))}
                  onChange={(e) =>
                    toggle(
                      group.map((p) => p.code),
                      e.target.checked,
                    )
                  }
                />{' '}
                {t(`unitLevel.${level}`)}
              </label>
            </legend>
            <div className="checkbox-grid">
              {group.map((p) => (
                <label key={p.code}>
                  <input
                    type="checkbox"
                    name="invited"
                    value={p.code}
                    checked={invited.has(p.code)}
                    onChange={(e) => toggle([p.code], e.target.checked)}
                  />{' '}
                  {p.name}
                </label>
              ))}
            </div>
          </fieldset>
        );
      })}
      <label>
        <input
          type="checkbox"
          name="callRoomSystemsAtStart"
          checked={callRoomSystemsAtStart}
          onChange={(e) => setCallRoomSystemsAtStart(e.target.checked)}
        />{' '}
        {t('meetings.callRoomSystemsAtStart')}
      </label>
      <button type="submit" disabled={invited.size === 0}>
        {t('meetings.createSubmit', { count: invited.size })}
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
