import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/http';
import { session, useSession } from '../api/session';
import { PasswordField } from '../components/PasswordField';
import { errorText } from '../api/errors';

/** One's own password: forced after a generated or reset one, or by choice from "My account". */
export function PasswordPage() {
  const { t } = useTranslation();
  const signedIn = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string }>();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) return setMessage({ error: true, text: t('password.mismatch') });
    api
      .post('/api/auth/password', { currentPassword: current, newPassword: next })
      .then(() => {
        setMessage({ error: false, text: t('password.changed') });
        if (signedIn) session.set({ user: { ...signedIn.user, mustChangePassword: false } });
      })
      .catch((e: unknown) => setMessage({ error: true, text: errorText(e) }));
  };
  return (
    <main className="page">
      <form className="form" onSubmit={onSubmit} data-testid="password-form">
        <h2>{t('password.heading')}</h2>
        {signedIn?.user.mustChangePassword && <p className="notice">{t('password.forced')}</p>}
        <PasswordField label={t('password.current')} name="current" autoComplete="current-password" value={current} onChange={setCurrent} />
        <PasswordField label={t('password.new')} name="new" autoComplete="new-password" minLength={10} value={next} onChange={setNext} />
        <PasswordField label={t('password.repeat')} name="repeat" autoComplete="new-password" value={repeat} onChange={setRepeat} />
        <button type="submit">{t('password.submit')}</button>
        {message && <p className={message.error ? 'error' : 'notice'}>{message.text}</p>}
      </form>
    </main>
  );
}
