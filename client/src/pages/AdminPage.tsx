import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Accounts } from './admin/Accounts';
import { AuditTrail } from './admin/AuditTrail';
import { Cameras } from './admin/Cameras';
import { ImportFiles } from './admin/ImportFiles';
import { Meetings } from './admin/Meetings';
import { Units } from './admin/Units';

const tabs = { users: Accounts, units: Units, cameras: Cameras, import: ImportFiles, meetings: Meetings, audit: AuditTrail } as const;
type Tab = keyof typeof tabs;

/** The admin's pages: accounts, units (bridge points) and their reorganisation, cameras, the province's set-up from files, meetings, the audit trail. */
export function AdminPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('users');
  const Shown = tabs[tab];
  return (
    <main className="page">
      <nav className="tabs">
        {(Object.keys(tabs) as Tab[]).map((name) => (
          <button key={name} type="button" aria-pressed={tab === name} onClick={() => setTab(name)}>
            {t(`admin.tab.${name}`)}
          </button>
        ))}
      </nav>
      <Shown />
    </main>
  );
}
