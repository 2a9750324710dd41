import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingReport } from '../../../shared/reports';
import type { MeetingRecordingDto } from '../../../shared/program';
import { api } from '../api/http';
import { errorText } from '../api/errors';

/**
 * What the chair sees when the meeting ends: how long it ran, how many invited sites attended with how many
 * delegates (the latest roll call's), its recordings, and the attendance report to open or download.
 */
export function MeetingSummary({ meetingId }: { meetingId: string }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<MeetingReport>();
  const [recordings, setRecordings] = useState<MeetingRecordingDto[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .get<MeetingReport>(`/api/reports/meetings/${meetingId}`)
      .then(setReport)
      .catch((e: unknown) => setError(errorText(e)));
    api
      .get<{ recordings: MeetingRecordingDto[] }>(`/api/meetings/${meetingId}/recordings`)
      .then((answer) => setRecordings(answer.recordings))
      .catch((e: unknown) => setError(errorText(e)));
  }, [meetingId]);
  if (error) return <p className="error">{error}</p>;
  if (!report) return null;
  const { startedAt, endedAt, title } = report.meeting;
  const minutes = startedAt && endedAt ? Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 60_000) : 0;
  const download = (format: 'csv' | 'xlsx') => {
    api.download(`/api/reports/meetings/${meetingId}?format=${format}`).catch((e: unknown) => setError(errorText(e)));
  };
  return (
    <section className="meeting-summary" data-testid="meeting-summary">
      <h2>{t('summary.heading', { title })}</h2>
      <dl>
        <dt>{t('summary.duration')}</dt>
        <dd data-testid="summary-duration">{t('summary.minutes', { count: minutes })}</dd>
        <dt>{t('summary.sites')}</dt>
        <dd data-testid="summary-sites">
          {t('summary.sitesOf', { attended: report.totals.attendedSites, invited: report.totals.invitedSites })}
        </dd>
        <dt>{t('summary.delegates')}</dt>
        <dd data-testid="summary-delegates">{report.totals.delegates}</dd>
        <dt>{t('summary.recordings')}</dt>
        <dd data-testid="summary-recordings">{recordings.length}</dd>
      </dl>
      <p>
        <a href="/reports">{t('summary.openReports')}</a>{' '}
        <button type="button" onClick={() => download('xlsx')}>
          {t('summary.downloadXlsx')}
        </button>{' '}
        <button type="button" onClick={() => download('csv')}>
          {t('summary.downloadCsv')}
        </button>
      </p>
    </section>
  );
}
