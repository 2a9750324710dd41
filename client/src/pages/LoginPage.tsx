import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginResponse } from '../../../shared/meetings';
import { api } from '../api/http';
import { session } from '../api/session';

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    api
      .post<LoginResponse>('/api/auth/login', { username, password })
      .then((login) => session.set(login))
      .catch(() => setError(t('login.failed')));
  };
  return (
    <main className="page">
      <form className="form" onSubmit={onSubmit}>
        <h2>{t('login.heading')}</h2>
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit">{t('login.submit')}</button>
        {error && <p className="error">{error}</p>}
      </form>
    </main>
  );
}
