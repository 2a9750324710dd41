import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from './i18n';
import { BridgePointPage } from './pages/BridgePointPage';

export function App() {
  const { t, i18n } = useTranslation();
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <label>
          {t('app.language')}{' '}
          <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as (typeof languages)[number])}>
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <BridgePointPage />
    </div>
  );
}
