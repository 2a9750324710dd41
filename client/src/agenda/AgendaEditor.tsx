import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaDocumentDto, AgendaDto } from '../../../shared/agenda';
import type { MeetingDto } from '../../../shared/meetings';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { megabytes } from './MeetingAgenda';

interface Row {
  id?: number;
  /** The row's key while it has no id. */
  key: string;
  title: string;
  presenterCode: string | null;
  plannedMinutes: number;
  documents: AgendaDocumentDto[];
}

let newRows = 0;
const toRows = (agenda: AgendaDto): Row[] =>
  agenda.items.map((item) => ({
    id: item.id,
    key: `item-${item.id}`,
    title: item.title,
    presenterCode: item.presenterCode,
    plannedMinutes: item.plannedMinutes,
    documents: item.documents,
  }));

/**
 * The secretariat's (or the chair's) agenda of one meeting: items in order with their presenting site and planned
 * minutes, saved together; each saved item's documents (PDF) uploaded, and removed.
 */
export function AgendaEditor({ meeting }: { meeting: MeetingDto }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[]>([]);
  // nothing is edited before the agenda as stored is here: rows added meanwhile would be lost when it lands
  const [loaded, setLoaded] = useState(false);
  const [maxMegabytes, setMaxMegabytes] = useState<number>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const path = `/api/meetings/${meeting.id}/agenda`;
  useEffect(() => {
    api.get<AgendaDto>(path).then(
      (agenda) => {
        setRows(toRows(agenda));
        setMaxMegabytes(agenda.documentMaxMegabytes);
        setLoaded(true);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [path]);

  const change = (key: string, patch: Partial<Row>) => {
    setSaved(false);
    setRows((all) => all.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  };
  const move = (index: number, by: number) => {
    setSaved(false);
    setRows((all) => {
      const next = [...all];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row!);
      return next;
    });
  };
  const onSave = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const items = rows.map(({ id, title, presenterCode, plannedMinutes }) => ({
      ...(id ? { id } : {}),
      title,
      presenterCode,
      plannedMinutes,
    }));
    api.put<AgendaDto>(path, { items }).then(
      (agenda) => {
        setRows(toRows(agenda));
        setSaved(true);
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  const upload = (row: Row, file: File) => {
    setError(undefined);
    if (maxMegabytes && file.size > maxMegabytes * 1024 ** 2) return setError(t('agenda.tooLarge', { megabytes: maxMegabytes }));
    api.upload<AgendaDocumentDto>(`${path}/${row.id}/documents?fileName=${encodeURIComponent(file.name)}`, file).then(
      (document) => change(row.key, { documents: [...row.documents, document] }),
      (e: unknown) => setError(errorText(e)),
    );
  };
  const remove = (row: Row, document: AgendaDocumentDto) => {
    setError(undefined);
    api.delete(`/api/meetings/${meeting.id}/documents/${document.id}`).then(
      () => change(row.key, { documents: row.documents.filter((d) => d.id !== document.id) }),
      (e: unknown) => setError(errorText(e)),
    );
  };

  if (!loaded)
    return (
      <section className="agenda-editor" data-testid="agenda-loading">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p>{t('agenda.loading')}</p>
        )}
      </section>
    );
  return (
    <form className="agenda-editor" onSubmit={onSave} data-testid="agenda-editor" data-meeting-id={meeting.id}>
      <h3>{t('agenda.editHeading', { title: meeting.title })}</h3>
      <ol>
        {rows.map((row, index) => (
          <li key={row.key} data-testid="agenda-row">
            <div className="form inline">
              <input
                required
                minLength={3}
                maxLength={300}
                aria-label={t('agenda.itemTitle')}
                placeholder={t('agenda.itemTitle')}
                value={row.title}
                onChange={(e) => change(row.key, { title: e.target.value })}
              />
              <select
                aria-label={t('agenda.presenter')}
                value={row.presenterCode ?? ''}
                onChange={(e) => change(row.key, { presenterCode: e.target.value || null })}
              >
                <option value="">{t('agenda.noPresenter')}</option>
                {meeting.invited.map((site) => (
                  <option key={site.code} value={site.code}>
                    {site.name}
                  </option>
                ))}
              </select>
              <label>
                {t('agenda.plannedMinutes')}{' '}
                <input
                  type="number"
                  required
                  min={1}
                  max={600}
                  value={row.plannedMinutes}
                  onChange={(e) => change(row.key, { plannedMinutes: Number(e.target.value) })}
                />
              </label>
              <button type="button" aria-label={t('agenda.moveUp')} disabled={index === 0} onClick={() => move(index, -1)}>
                ↑
              </button>
              <button type="button" aria-label={t('agenda.moveDown')} disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                ↓
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setSaved(false);
                  setRows((all) => all.filter((r) => r.key !== row.key));
                }}
              >
                {t('agenda.removeItem')}
              </button>
            </div>
            {row.id ? (
              <div className="agenda-documents">
                {row.documents.map((document) => (
                  <span key={document.id} data-testid="agenda-document">
                    {document.fileName}{' '}
                    <small>({t('agenda.documentSize', { pages: document.pages, size: megabytes(document.bytes) })})</small>{' '}
                    <button type="button" className="link" onClick={() => remove(row, document)}>
                      {t('agenda.removeDocument')}
                    </button>
                  </span>
                ))}
                <label>
                  {t('agenda.addDocument')}{' '}
                  <input
                    type="file"
                    accept="application/pdf,.pdf"
                    data-testid="agenda-upload"
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = '';
                      if (file) upload(row, file);
                    }}
                  />
                </label>
              </div>
            ) : (
              <small>{t('agenda.saveBeforeDocuments')}</small>
            )}
          </li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          data-testid="agenda-add"
          onClick={() => {
            setSaved(false);
            setRows((all) => [...all, { key: `new-${++newRows}`, title: '', presenterCode: null, plannedMinutes: 10, documents: [] }]);
          }}
        >
          {t('agenda.addItem')}
        </button>
        <button type="submit" data-testid="agenda-save">
          {t('agenda.save')}
        </button>
        {saved && (
          <span role="status" data-testid="agenda-saved">
            {t('agenda.saved')}
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
