import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginResponse } from '../../../shared/meetings';
import { api, ApiError } from '../api/http';
import { session } from '../api/session';
import { PasswordField } from '../components/PasswordField';

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [demo, setDemo] = useState(false);

  useEffect(() => {
    api
      .get<{ demo: boolean }>('/api/auth/demo')
      .then((answer) => setDemo(answer.demo))
      .catch(() => setDemo(false));
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    // the session goes into an HttpOnly cookie: the page never holds the token
    api
      .post<LoginResponse>('/api/auth/login', { username, password, cookie: true })
      .then((login) => session.set({ user: login.user }))
      .catch((e: unknown) =>
        setError(
          e instanceof ApiError && e.status === 429
            ? t('login.throttled')
            : e instanceof ApiError && e.status === 403
              ? t('login.disabled')
              : t('login.failed'),
        ),
      );
  };
  return (
    <main className="page">
      <form className="form" onSubmit={onSubmit}>
        <h2>{t('login.heading')}</h2>
        {demo && (
          <p className="notice" data-testid="demo-notice">
            {t('login.demo')}
          </p>
        )}
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <PasswordField
          label={t('login.password')}
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <button type="submit">{t('login.submit')}</button>
        {error && <p className="error">{error}</p>}
      </form>
    </main>
  );
}
