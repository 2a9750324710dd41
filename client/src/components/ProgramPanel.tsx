import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingState } from '../../../shared/meetings';
import { programSources, type ProgramOutputDto, type ProgramSource } from '../../../shared/program';
import { api } from '../api/http';
import { errorText } from '../api/errors';

/**
 * The chair's program: what it shows (the active speaker unless the chair picks the floor, the
 * spotlight or the presentation), the destinations it is pushed to with how each push goes, and the
 * recording's start and stop.
 */
export function ProgramPanel({ meeting }: { meeting: MeetingState }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string>();
  const { program } = meeting;
  const base = `/api/meetings/${meeting.meetingId}`;
  const failed = (e: unknown) => setError(errorText(e));

  const choose = (source: ProgramSource) => {
    setError(undefined);
    api.put(`${base}/program`, { source }).catch(failed);
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    api
      .post<ProgramOutputDto>(`${base}/outputs`, { url })
      .then(() => setUrl(''))
      .catch(failed);
  };
  const record = () => {
    setError(undefined);
    const recording = program.recording;
    (recording ? api.post(`${base}/recordings/${recording.id}/stop`, {}) : api.post(`${base}/recordings`, {})).catch(failed);
  };

  return (
    <section className="program" data-testid="program-panel">
      <h3>{t('program.title')}</h3>
      <label>
        {t('program.source')}
        <select data-testid="program-source" value={program.source} onChange={(e) => choose(e.target.value as ProgramSource)}>
          {programSources.map((source) => (
            <option key={source} value={source}>
              {t(`program.sources.${source}`)}
            </option>
          ))}
        </select>
      </label>
      <p data-testid="program-showing" data-picture={program.showingPicture}>
        {t('program.showing', { code: program.showing ?? '—' })}
        {program.showing && !program.showingPicture && <span className="badge">{t('program.waitingForPicture')}</span>}
      </p>
      <button type="button" data-testid="record" className={program.recording ? 'danger' : undefined} onClick={record}>
        {program.recording ? t('program.stopRecording') : t('program.startRecording')}
      </button>
      {program.recording?.paused && (
        <p className="error" role="alert" data-testid="program-recording-paused">
          {t('program.recordingPaused')}
        </p>
      )}
      <ul>
        {program.outputs.map((output) => (
          <li key={output.id} data-testid="output-row" data-state={output.state}>
            <code>{output.url}</code> <span className={`output-${output.state}`}>{t(`program.states.${output.state}`)}</span>
            {output.error && <small> {output.error}</small>}
            <button
              type="button"
              className="danger"
              onClick={() => {
                api.delete(`${base}/outputs/${output.id}`).catch(failed);
              }}
            >
              {t('program.removeOutput')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add}>
        <label>
          {t('program.outputUrl')}
          <input
            data-testid="output-url"
            required
            placeholder="rtmp://máy-chủ/live/khóa hoặc srt://máy-chủ:9000"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" data-testid="add-output">
          {t('program.addOutput')}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
