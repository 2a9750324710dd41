import { useTranslation } from 'react-i18next';

/** The search above an admin list: what is typed filters the rows, accents or not. */
export function AdminSearch({ value, onChange, testId }: { value: string; onChange: (value: string) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <input
      type="search"
      className="admin-search"
      data-testid={testId}
      placeholder={t('admin.search')}
      aria-label={t('admin.search')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
