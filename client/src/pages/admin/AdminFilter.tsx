import { useTranslation } from 'react-i18next';

/** A filter beside an admin list's search: one of the list's own values (a role, a status), or all of them. */
export function AdminFilter<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: T | '';
  options: ReadonlyArray<{ value: T; text: string }>;
  onChange: (value: T | '') => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <select
      className="admin-filter"
      aria-label={label}
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value as T | '')}
    >
      <option value="">
        {label}: {t('admin.filter.all')}
      </option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.text}
        </option>
      ))}
    </select>
  );
}
