import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  importColumns,
  importKinds,
  type ImportAppliedDto,
  type ImportCheckDto,
  type ImportedAccountDto,
  type ImportKind,
} from '../../../../shared/provinceImport';
import { api } from '../../api/http';
import { errorText, say } from '../../api/errors';
import { PasswordSheet } from './PasswordSheet';

/** The file as the import routes take it: its name and its bytes, base64. */
async function fileBody(file: File): Promise<{ fileName: string; content: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { fileName: file.name, content: btoa(binary) };
}

/**
 * Setting up a province from files, in order: the units, then their accounts, then the counter cameras. Each
 * file is checked first (every row's problem in words, nothing created), then imported as a whole.
 */
export function ImportFiles() {
  const { t } = useTranslation();
  const [sheet, setSheet] = useState<ImportedAccountDto[]>();
  return (
    <section data-testid="import">
      <p className="notice">{t('admin.import.intro')}</p>
      {importKinds.map((kind, i) => (
        <ImportKindPanel key={kind} kind={kind} step={i + 1} onAccounts={setSheet} />
      ))}
      {sheet && <PasswordSheet accounts={sheet} onClose={() => setSheet(undefined)} />}
    </section>
  );
}

function ImportKindPanel({ kind, step, onAccounts }: { kind: ImportKind; step: number; onAccounts: (a: ImportedAccountDto[]) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ fileName: string; content: string }>();
  const [report, setReport] = useState<ImportCheckDto>();
  const [done, setDone] = useState<ImportAppliedDto>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const columns = importColumns[kind].filter((c) => !c.secret);
  const wrongRows = report?.rows.filter((r) => r.problems.length > 0).length ?? 0;

  /** One step at a time (checking, importing): its refusal shown here, beside the file it was about. */
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    work()
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = '';
    if (!chosen) return;
    setDone(undefined);
    setReport(undefined);
    run(async () => {
      const body = await fileBody(chosen);
      setFile(body);
      setReport(await api.post<ImportCheckDto>(`/api/import/${kind}/check`, body));
    });
  };
  const onApply = () =>
    run(async () => {
      const applied = await api.post<ImportAppliedDto>(`/api/import/${kind}`, file);
      setDone(applied);
      setReport(undefined);
      setFile(undefined);
      if (applied.accounts) onAccounts(applied.accounts);
    });
  const template = (format: 'xlsx' | 'csv') => () => {
    api.download(`/api/import/${kind}/template?format=${format}`).catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <div className="import-kind" data-testid={`import-${kind}`}>
      <h3>
        {step}. {t(`admin.import.kind.${kind}`)}
      </h3>
      <p>{t(`admin.import.about.${kind}`)}</p>
      <div className="form inline">
        <button type="button" onClick={template('xlsx')}>
          {t('admin.import.templateXlsx')}
        </button>
        <button type="button" onClick={template('csv')}>
          {t('admin.import.templateCsv')}
        </button>
        <label className="file-choice">
          {t('admin.import.choose')}
          <input type="file" accept=".xlsx,.csv,text/csv" onChange={onFile} disabled={busy} data-testid={`import-file-${kind}`} />
        </label>
      </div>
      {busy && <p className="notice">{t(kind === 'cameras' ? 'admin.import.checkingCameras' : 'admin.import.checking')}</p>}
      {error && <p className="error">{error}</p>}
      {done && (
        <p className="notice" data-testid="import-done">
          {t(`admin.import.created.${kind}`, { count: done.created })}
        </p>
      )}
      {report && (
        <div data-testid="import-report">
          {report.fileProblems.map((problem, i) => (
            <p key={i} className="error">
              {say(problem)}
            </p>
          ))}
          {report.ignoredColumns.length > 0 && (
            <p className="notice">{t('admin.import.ignored', { columns: report.ignoredColumns.join(', ') })}</p>
          )}
          {report.rows.length > 0 && (
            <p className={report.ready ? 'notice' : 'error'} data-testid="import-summary">
              {report.ready
                ? t('admin.import.ready', { count: report.rows.length, file: report.fileName })
                : t('admin.import.wrong', { count: wrongRows, total: report.rows.length })}
            </p>
          )}
          {report.rows.length > 0 && (
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('admin.import.line')}</th>
                    {columns.map((c) => (
                      <th key={c.field}>{c.heading}</th>
                    ))}
                    <th>{t('admin.import.problems')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((row) => (
                    <tr key={row.line} data-line={row.line} className={row.problems.length > 0 ? 'row-wrong' : undefined}>
                      <td>{row.line}</td>
                      {columns.map((c) => (
                        <td key={c.field}>{row.values[c.field]}</td>
                      ))}
                      <td data-testid="row-problems">{row.problems.map((p) => say(p)).join('; ') || t('admin.import.rowOk')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <button type="button" onClick={onApply} disabled={!report.ready || busy} data-testid={`import-apply-${kind}`}>
            {t(`admin.import.apply.${kind}`, { count: report.rows.length })}
          </button>
        </div>
      )}
    </div>
  );
}
