import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDto } from '../../../shared/meetings';
import type { MinutesContent, MinutesDto, MinutesSection, MinutesVersionDto } from '../../../shared/minutes';
import { api } from '../api/http';
import { errorText } from '../api/errors';
import { readerLocale } from '../format';

/**
 * The minutes of a meeting that ended, for the secretariat: the hub's draft of what happened, edited here, saved,
 * finalized (locked with its SHA-256), and exported as DOCX or PDF; a change after that is the next version.
 */
export function MinutesEditor({ meeting }: { meeting: MeetingDto }) {
  const { t } = useTranslation();
  const path = `/api/meetings/${meeting.id}/minutes`;
  const [versions, setVersions] = useState<MinutesVersionDto[]>();
  const [content, setContent] = useState<MinutesContent>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const show = (all: MinutesVersionDto[]) => {
    setVersions(all);
    const latest = all.at(-1);
    setContent(latest?.status === 'DRAFT' ? latest.content : undefined);
  };
  useEffect(() => {
    api.get<MinutesDto>(path).then(
      (minutes) => show(minutes.versions),
      (e: unknown) => setError(errorText(e)),
    );
  }, [path]);
  const fail = (e: unknown) => setError(errorText(e));
  const run = (action: () => Promise<unknown>) => {
    setError(undefined);
    setSaved(false);
    action().catch(fail);
  };
  if (!versions) return error ? <p className="error">{error}</p> : null;
  const latest = versions.at(-1);
  const reload = async () => show((await api.get<MinutesDto>(path)).versions);
  const openDraft = () =>
    run(async () => {
      await api.post(path);
      await reload();
    });
  const save = async () => {
    if (content) await api.put(`${path}/draft`, { document: content });
  };
  const finalize = () =>
    run(async () => {
      if (!window.confirm(t('minutes.confirmFinalize'))) return;
      await save();
      await api.post(`${path}/finalize`);
      await reload();
    });
  const exports = (version: MinutesVersionDto) => (
    <span className="minutes-exports">
      {(['docx', 'pdf'] as const).map((format) => (
        <button
          key={format}
          type="button"
          data-testid={`minutes-export-${format}`}
          onClick={() => run(() => api.download(`${path}/${version.version}/export?format=${format}`))}
        >
          {t(`minutes.export.${format}`)}
        </button>
      ))}
    </span>
  );
  const change = (patch: Partial<MinutesContent>) => content && setContent({ ...content, ...patch });
  const changeSection = (index: number, patch: Partial<MinutesSection>) =>
    content && setContent({ ...content, sections: content.sections.map((s, i) => (i === index ? { ...s, ...patch } : s)) });

  return (
    <section className="minutes-editor" data-testid="minutes-editor" data-meeting-id={meeting.id}>
      <h3>{t('minutes.heading', { title: meeting.title })}</h3>
      <ul className="minutes-versions" data-testid="minutes-versions">
        {versions.map((version) => (
          <li key={version.version} data-testid="minutes-version" data-status={version.status}>
            {version.status === 'FINAL'
              ? t('minutes.finalVersion', {
                  version: version.version,
                  by: version.finalizedBy,
                  at: new Date(version.finalizedAt!).toLocaleString(readerLocale()),
                })
              : t('minutes.draftVersion', { version: version.version, by: version.createdBy })}{' '}
            {version.sha256 && <code data-testid="minutes-sha256">SHA-256 {version.sha256}</code>} {exports(version)}
          </li>
        ))}
      </ul>
      {!latest && (
        <button type="button" data-testid="minutes-open" onClick={openDraft}>
          {t('minutes.openFirst')}
        </button>
      )}
      {latest?.status === 'FINAL' && (
        <button type="button" data-testid="minutes-open" onClick={openDraft}>
          {t('minutes.openNext')}
        </button>
      )}
      {content && (
        <form
          className="minutes-draft"
          onSubmit={(event) => {
            event.preventDefault();
            run(async () => {
              await save();
              setSaved(true);
            });
          }}
        >
          <fieldset className="minutes-header">
            <legend>{t('minutes.header')}</legend>
            {(['parentBody', 'issuingBody', 'number', 'place'] as const).map((field) => (
              <label key={field}>
                {t(`minutes.field.${field}`)}{' '}
                <input value={content.header[field]} onChange={(e) => change({ header: { ...content.header, [field]: e.target.value } })} />
              </label>
            ))}
            <label>
              {t('minutes.field.date')}{' '}
              <input
                type="date"
                value={content.header.date}
                onChange={(e) => change({ header: { ...content.header, date: e.target.value } })}
              />
            </label>
            <label>
              {t('minutes.field.subject')} <input value={content.subject} onChange={(e) => change({ subject: e.target.value })} />
            </label>
          </fieldset>
          {content.sections.map((section, index) => (
            <fieldset key={index} className="minutes-section" data-testid="minutes-section" data-heading={section.heading}>
              <legend>
                <input
                  aria-label={t('minutes.sectionHeading')}
                  value={section.heading}
                  onChange={(e) => changeSection(index, { heading: e.target.value })}
                />
              </legend>
              {section.paragraphs.map((paragraph, p) => (
                <textarea
                  key={p}
                  rows={Math.max(2, Math.ceil(paragraph.length / 90))}
                  aria-label={t('minutes.paragraph', { section: section.heading || t('minutes.closing'), number: p + 1 })}
                  value={paragraph}
                  onChange={(e) =>
                    changeSection(index, { paragraphs: section.paragraphs.map((text, i) => (i === p ? e.target.value : text)) })
                  }
                />
              ))}
              <button type="button" onClick={() => changeSection(index, { paragraphs: [...section.paragraphs, ''] })}>
                {t('minutes.addParagraph')}
              </button>
              {section.table && (
                <table className="table minutes-table">
                  <thead>
                    <tr>
                      {section.table.columns.map((column) => (
                        <th key={column}>{column}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {section.table.rows.map((row, r) => (
                      <tr key={r}>
                        {section.table!.columns.map((column, c) => (
                          <td key={column}>
                            <input
                              aria-label={`${column} ${r + 1}`}
                              value={row[c] ?? ''}
                              onChange={(e) =>
                                changeSection(index, {
                                  table: {
                                    ...section.table!,
                                    rows: section.table!.rows.map((cells, i) =>
                                      i === r ? cells.map((cell, j) => (j === c ? e.target.value : cell)) : cells,
                                    ),
                                  },
                                })
                              }
                            />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </fieldset>
          ))}
          <fieldset className="minutes-header">
            <legend>{t('minutes.signers')}</legend>
            <label>
              {t('minutes.field.secretary')}{' '}
              <input
                value={content.signers.secretary}
                onChange={(e) => change({ signers: { ...content.signers, secretary: e.target.value } })}
              />
            </label>
            <label>
              {t('minutes.field.chair')}{' '}
              <input value={content.signers.chair} onChange={(e) => change({ signers: { ...content.signers, chair: e.target.value } })} />
            </label>
          </fieldset>
          <div className="actions">
            <button type="submit" data-testid="minutes-save">
              {t('minutes.save')}
            </button>
            <button type="button" data-testid="minutes-finalize" onClick={finalize}>
              {t('minutes.finalize')}
            </button>
            {saved && (
              <span role="status" data-testid="minutes-saved">
                {t('minutes.saved')}
              </span>
            )}
          </div>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
