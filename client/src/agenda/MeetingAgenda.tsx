import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaDto } from '../../../shared/agenda';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { minutesAndSeconds } from './agendaTime';

// PDF.js is loaded only when a document is opened
const DocumentViewer = lazy(() => import('./DocumentViewer'));

/**
 * A meeting's agenda as its sites read it, before and during the meeting: each item with its presenter, its planned
 * time and its documents, which open in the page. `version` changes when the agenda may have (the meeting's state).
 */
export function MeetingAgenda({ meetingId, version }: { meetingId: string; version?: string }) {
  const { t } = useTranslation();
  const [agenda, setAgenda] = useState<AgendaDto>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<{ url: string; title: string }>();
  useEffect(() => {
    api.get<AgendaDto>(`/api/meetings/${meetingId}/agenda`).then(setAgenda, (e: unknown) => setError(errorText(e)));
  }, [meetingId, version]);
  if (error) return <p className="error">{error}</p>;
  if (!agenda) return null;
  if (agenda.items.length === 0) return <p data-testid="agenda-empty">{t('agenda.none')}</p>;
  return (
    <>
      <ol className="agenda-list" data-testid="agenda-list">
        {agenda.items.map((item) => (
          <li key={item.id} data-testid="agenda-item" data-item-id={item.id}>
            <strong>{item.title}</strong>
            <span>
              {' '}
              — {item.presenterName ?? t('agenda.noPresenter')}, {t('agenda.planned', { minutes: item.plannedMinutes })}
              {item.spans.length > 0 && `, ${t('agenda.used', { time: minutesAndSeconds(item.usedSeconds) })}`}
            </span>
            {item.documents.length > 0 && (
              <ul className="agenda-documents">
                {item.documents.map((document) => (
                  <li key={document.id}>
                    <button
                      type="button"
                      className="link"
                      data-testid="document-open"
                      onClick={() => setOpen({ url: `/api/meetings/${meetingId}/documents/${document.id}`, title: document.fileName })}
                    >
                      {document.fileName}
                    </button>{' '}
                    <small>{t('agenda.documentSize', { pages: document.pages, size: megabytes(document.bytes) })}</small>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {open && (
        <Suspense fallback={<p>{t('agenda.opening')}</p>}>
          <DocumentViewer url={open.url} title={open.title} onClose={() => setOpen(undefined)} />
        </Suspense>
      )}
    </>
  );
}

export function megabytes(bytes: number): string {
  return (bytes / 1024 ** 2).toLocaleString('vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}
