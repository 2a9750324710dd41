import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PeriodReport, ReportYear } from '../../../shared/reports';
import { api } from '../api/http';
import { MeetingRecordings } from '../components/MeetingRecordings';
import { errorText } from '../api/errors';
import { readerLocale } from '../format';

const thisYear = new Date().getFullYear();
const yearPeriod = (year: number) => ({ from: `${year}-01-01`, to: `${year + 1}-01-01` });

/** The secretariat's reports: a period's totals, a chart by month, participation, and downloads. */
export function ReportsPage() {
  const { t } = useTranslation();
  // Opens on the latest year that had meetings (a new year starts empty), once the server has said which.
  const [period, setPeriod] = useState<{ from: string; to: string }>();
  const [years, setYears] = useState<number[]>([thisYear]);
  const [report, setReport] = useState<PeriodReport>();
  const [error, setError] = useState<string>();
  const from = period?.from ?? '';
  const to = period?.to ?? '';
  const query = `from=${from}&to=${to}`;

  useEffect(() => {
    api
      .get<{ years: ReportYear[] }>('/api/reports/years')
      .then(({ years: held }) => {
        setYears([...new Set([thisYear, ...held.map((y) => y.year)])].sort((a, b) => b - a));
        setPeriod((chosen) => chosen ?? yearPeriod(held[0]?.year ?? thisYear));
      })
      .catch((e: unknown) => {
        setError(errorText(e));
        setPeriod((chosen) => chosen ?? yearPeriod(thisYear));
      });
  }, []);

  useEffect(() => {
    if (!period) return;
    api
      .get<PeriodReport>(`/api/reports/period?from=${period.from}&to=${period.to}`)
      .then((loaded) => {
        setReport(loaded);
        setError(undefined);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [period]);

  const download = (path: string) => {
    api.download(path).catch((e: unknown) => setError(errorText(e)));
  };
  const numbers = new Intl.NumberFormat(readerLocale());
  const chart = report?.byMonth.map((m) => ({
    month: m.month,
    [t('hostLevel.PROVINCIAL')]: m.PROVINCIAL.meetings,
    [t('hostLevel.GOVERNMENT')]: m.GOVERNMENT.meetings,
  }));

  return (
    <main className="page reports">
      <form className="period" onSubmit={(e) => e.preventDefault()}>
        {years.map((year) => (
          <button
            type="button"
            key={year}
            data-testid="report-year"
            data-year={year}
            aria-pressed={from === yearPeriod(year).from && to === yearPeriod(year).to}
            onClick={() => setPeriod(yearPeriod(year))}
          >
            {t('reports.year', { year })}
          </button>
        ))}
        <label>
          {t('reports.from')} <input name="from" type="date" value={from} onChange={(e) => setPeriod({ from: e.target.value, to })} />
        </label>
        <label>
          {t('reports.to')} <input name="to" type="date" value={to} onChange={(e) => setPeriod({ from, to: e.target.value })} />
        </label>
        <button
          type="button"
          data-testid="download-csv-meetings"
          onClick={() => download(`/api/reports/period?${query}&format=csv&table=meetings`)}
        >
          {t('reports.csvMeetings')}
        </button>
        <button
          type="button"
          data-testid="download-csv-bridge-points"
          onClick={() => download(`/api/reports/period?${query}&format=csv&table=bridge-points`)}
        >
          {t('reports.csvBridgePoints')}
        </button>
        <button type="button" data-testid="download-xlsx" onClick={() => download(`/api/reports/period?${query}&format=xlsx`)}>
          {t('reports.xlsx')}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {report && (
        <>
          <p className="summary" data-testid="summary">
            {report.summary}
          </p>
          <ul className="totals">
            <li>
              {t('reports.provincial', {
                meetings: numbers.format(report.byHostLevel.PROVINCIAL.meetings),
                delegates: numbers.format(report.byHostLevel.PROVINCIAL.delegates),
              })}
            </li>
            <li>
              {t('reports.government', {
                meetings: numbers.format(report.byHostLevel.GOVERNMENT.meetings),
                delegates: numbers.format(report.byHostLevel.GOVERNMENT.delegates),
              })}
            </li>
          </ul>
          <div className="chart" data-testid="chart">
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={chart}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey={t('hostLevel.PROVINCIAL')} stackId="m" fill="#a3171c" />
                <Bar dataKey={t('hostLevel.GOVERNMENT')} stackId="m" fill="#f2b705" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <h2>{t('reports.meetings')}</h2>
          <table className="table" data-testid="report-meetings">
            <thead>
              <tr>
                <th>{t('meetings.time')}</th>
                <th>{t('meetings.title')}</th>
                <th>{t('meetings.hostLevel')}</th>
                <th>{t('reports.sites')}</th>
                <th>{t('reports.delegates')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {report.meetingRows.map((m) => (
                <tr key={m.id}>
                  <td>{new Date(m.startedAt).toLocaleDateString(readerLocale())}</td>
                  <td>{m.title}</td>
                  <td>{t(`hostLevel.${m.hostLevel}`)}</td>
                  <td>
                    {m.attendedSites}/{m.invitedSites}
                  </td>
                  <td>{numbers.format(m.delegates)}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => download(`/api/reports/meetings/${m.id}?format=csv`)}>
                      CSV
                    </button>
                    <button type="button" onClick={() => download(`/api/reports/meetings/${m.id}?format=xlsx`)}>
                      XLSX
                    </button>
                    <MeetingRecordings meetingId={m.id} onError={setError} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('reports.participation')}</h2>
          <table className="table">
            <thead>
              <tr>
                <th>{t('chair.site')}</th>
                <th>{t('reports.invited')}</th>
                <th>{t('reports.attended')}</th>
                <th>{t('reports.rate')}</th>
                <th>{t('reports.delegates')}</th>
              </tr>
            </thead>
            <tbody>
              {report.bridgePoints.map((p) => (
                <tr key={p.code}>
                  <td>{p.name}</td>
                  <td>{p.invited}</td>
                  <td>{p.attended}</td>
                  <td>{p.rate === null ? '–' : `${Math.round(p.rate * 100)}%`}</td>
                  <td>{numbers.format(p.delegates)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
