import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingRecordingDto } from '../../../shared/program';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { readerLocale } from '../format';

/** A meeting's recordings for the secretariat: listed when asked, each downloaded as one MP4 (audited). */
export function MeetingRecordings({ meetingId, onError }: { meetingId: string; onError: (message: string) => void }) {
  const { t } = useTranslation();
  const [recordings, setRecordings] = useState<MeetingRecordingDto[]>();
  const time = (iso: string) => new Date(iso).toLocaleTimeString(readerLocale());
  const base = `/api/meetings/${meetingId}/recordings`;

  if (!recordings)
    return (
      <button
        type="button"
        data-testid="show-recordings"
        onClick={() => {
          api
            .get<{ recordings: MeetingRecordingDto[] }>(base)
            .then((loaded) => setRecordings(loaded.recordings))
            .catch((e: unknown) => onError(errorText(e)));
        }}
      >
        {t('program.recordings')}
      </button>
    );
  if (recordings.length === 0) return <small>{t('program.noRecordings')}</small>;
  return (
    <ul className="recordings" data-testid="recordings">
      {recordings.map((r) => (
        <li key={r.id}>
          {time(r.startedAt)}–{r.endedAt ? time(r.endedAt) : '…'} ({(r.bytes / 1024 ** 2).toFixed(0)} MB){' '}
          <button
            type="button"
            data-testid="download-recording"
            onClick={() => {
              api.download(`${base}/${r.id}/download`).catch((e: unknown) => onError(errorText(e)));
            }}
          >
            {t('program.download')}
          </button>
        </li>
      ))}
    </ul>
  );
}
