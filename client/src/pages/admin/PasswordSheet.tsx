import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ImportedAccountDto } from '../../../../shared/provinceImport';
import { dateTime } from '../../format';

/**
 * The one-time passwords of imported accounts, as a sheet to print and cut: one slip per account with the
 * hub's address, the username and the password to change at first sign-in. The hub keeps no copy, so the
 * sheet is shown once: closing it (or leaving the page, which asks first) loses them, and a lost one is reset.
 */
export function PasswordSheet({ accounts, onClose }: { accounts: ImportedAccountDto[]; onClose: () => void }) {
  const { t } = useTranslation();
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);
  const close = () => {
    if (window.confirm(t('admin.sheet.confirmClose'))) onClose();
  };
  const printedAt = dateTime(new Date().toISOString());
  // a child of <body>, so that printing shows the sheet alone (styles.css: @media print)
  return createPortal(
    <div className="password-sheet" role="dialog" aria-modal="true" aria-labelledby="password-sheet-title" data-testid="password-sheet">
      <div className="sheet-actions">
        <p className="error">{t('admin.sheet.once')}</p>
        <button type="button" onClick={() => window.print()}>
          {t('admin.sheet.print')}
        </button>
        <button type="button" onClick={close} data-testid="password-sheet-close">
          {t('admin.sheet.close')}
        </button>
      </div>
      <h2 id="password-sheet-title">{t('admin.sheet.title', { count: accounts.length })}</h2>
      <p>{t('admin.sheet.printedAt', { at: printedAt })}</p>
      <ul className="sheet-slips">
        {accounts.map((account) => (
          <li key={account.username} className="sheet-slip" data-username={account.username}>
            <strong>{account.displayName}</strong>
            <dl>
              <dt>{t('admin.sheet.address')}</dt>
              <dd>{window.location.origin}</dd>
              {account.bridgePointCode && (
                <>
                  <dt>{t('admin.site')}</dt>
                  <dd>{account.bridgePointCode}</dd>
                </>
              )}
              <dt>{t('admin.sheet.role')}</dt>
              <dd>{t(`role.${account.role}`)}</dd>
              <dt>{t('admin.username')}</dt>
              <dd className="sheet-secret">{account.username}</dd>
              <dt>{t('admin.sheet.password')}</dt>
              <dd className="sheet-secret" data-testid="sheet-password">
                {account.temporaryPassword}
              </dd>
            </dl>
            <p>{t('admin.sheet.changeAtFirstSignIn')}</p>
          </li>
        ))}
      </ul>
    </div>,
    document.body,
  );
}
