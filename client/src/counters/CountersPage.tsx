import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterAttendanceRow } from '../../../shared/cameras';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { dayMs, provinceDate, timeZone } from '../wall/provinceTime';

function today(): { from: string; to: string } {
  const now = new Date();
  return { from: provinceDate(now), to: provinceDate(new Date(now.getTime() + dayMs)) };
}

function thisMonth(): { from: string; to: string } {
  const day = provinceDate(new Date());
  const [year, month] = day.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return { from: `${day.slice(0, 7)}-01`, to: next };
}

/**
 * How the counters were staffed in office hours (for the supervisors and the Department of Home
 * Affairs): the share of the watched time someone was at the desk, the longest absence and each
 * absence with its recording, for a day or a month, with CSV and XLSX exports. The page says plainly
 * that motion is not a person.
 */
export function CountersPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(today);
  const [rows, setRows] = useState<CounterAttendanceRow[] | null>(null);
  const [opened, setOpened] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const query = `from=${period.from}&to=${period.to}`;

  useEffect(() => {
    api
      .get<CounterAttendanceRow[]>(`/api/reports/counters?${query}`)
      .then(setRows)
      .catch((e: unknown) => setError(errorText(e)));
  }, [query]);

  const download = (suffix: string) => {
    api.download(`/api/reports/counters?${query}&${suffix}`).catch((e: unknown) => setError(errorText(e)));
  };
  const time = (iso: string) => new Date(iso).toLocaleString('vi-VN', { timeZone });

  return (
    <main className="page counters" data-testid="counters-page">
      <h1>{t('counters.title')}</h1>
      <p className="notice" data-testid="counters-caveat">
        {t('counters.caveat')}
      </p>
      <div className="controls">
        <button type="button" data-testid="counters-today" onClick={() => setPeriod(today())}>
          {t('counters.today')}
        </button>
        <button type="button" data-testid="counters-month" onClick={() => setPeriod(thisMonth())}>
          {t('counters.month')}
        </button>
        <label>
          {t('motion.from')}
          <input
            type="date"
            data-testid="counters-from"
            value={period.from}
            onChange={(e) => setPeriod({ ...period, from: e.target.value })}
          />
        </label>
        <label>
          {t('counters.toExclusive')}
          <input type="date" data-testid="counters-to" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.target.value })} />
        </label>
        <button type="button" onClick={() => download('format=csv&table=counters')}>
          CSV
        </button>
        <button type="button" onClick={() => download('format=csv&table=absences')}>
          {t('counters.absencesCsv')}
        </button>
        <button type="button" onClick={() => download('format=xlsx')}>
          XLSX
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {rows && rows.length === 0 && <p className="notice">{t('counters.none')}</p>}
      {rows && rows.length > 0 && (
        <table className="table" data-testid="counters-table">
          <thead>
            <tr>
              <th>{t('admin.camera.unitName')}</th>
              <th>{t('counters.counter')}</th>
              <th>{t('counters.observed')}</th>
              <th>{t('counters.share')}</th>
              <th>{t('counters.longest')}</th>
              <th>{t('counters.absences')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="counter-row" data-camera-id={row.id}>
                <td>{row.unitName}</td>
                <td>{row.counter}</td>
                <td>{row.observedMinutes}</td>
                <td data-testid="counter-share">{row.attendedShare === null ? '–' : `${Math.round(row.attendedShare * 1000) / 10}%`}</td>
                <td>{row.longestAbsenceMinutes}</td>
                <td>
                  <button type="button" onClick={() => setOpened(opened === row.id ? null : row.id)} aria-expanded={opened === row.id}>
                    {row.absences.length}
                  </button>
                  {opened === row.id && (
                    <ul data-testid="counter-absences">
                      {row.absences.map((a) => (
                        <li key={a.start}>
                          <a href={a.recording} data-testid="counter-absence-link">
                            {time(a.start)} – {time(a.end)} ({a.minutes} {t('counters.minutes')})
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
