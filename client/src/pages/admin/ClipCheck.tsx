import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/http';
import { errorText } from '../../api/errors';
import { dateTime } from '../../format';
import { auditDetail } from './auditWords';

interface ClipExport {
  at: string;
  actor: string;
  target: string | null;
  detail: unknown;
}

/** A clip someone was handed, checked against the audited exports: its SHA-256 is computed here, in the browser. */
export function ClipCheck() {
  const { t } = useTranslation();
  const [sha256, setSha256] = useState<string>();
  const [exports, setExports] = useState<ClipExport[] | null>(null);
  const [error, setError] = useState<string>();
  const check = async (file: File) => {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    setSha256(hex);
    setExports((await api.get<{ exports: ClipExport[] }>(`/api/clips/${hex}`)).exports);
  };
  return (
    <section className="clip-check" data-testid="clip-check">
      <h3>{t('clipCheck.heading')}</h3>
      <label>
        {t('clipCheck.choose')}
        <input
          type="file"
          accept="video/mp4"
          data-testid="clip-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) check(file).catch((err: unknown) => setError(errorText(err)));
          }}
        />
      </label>
      {sha256 && <p data-testid="clip-sha256">{t('clipCheck.sha256', { sha256 })}</p>}
      {exports?.length === 0 && (
        <p className="error" data-testid="clip-result" data-match="false">
          {t('clipCheck.noMatch')}
        </p>
      )}
      {exports?.map((entry) => (
        <p key={entry.at} data-testid="clip-result" data-match="true">
          {t('clipCheck.match', { at: dateTime(entry.at), actor: entry.actor, detail: auditDetail(entry.detail, t) })}
        </p>
      ))}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
