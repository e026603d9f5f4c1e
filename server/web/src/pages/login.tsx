import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { LanguageSwitch } from '../app.js';
import { useT } from '../i18n/index.js';
import { useSessionControl } from '../session.js';

export function LoginPage({ expired }: { expired: boolean }) {
  const t = useT();
  const { signIn } = useSessionControl();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(expired ? t('login.expired') : null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (caught) {
      if (caught instanceof ApiError && (caught.status === 423 || caught.status === 429)) setError(t('login.locked', { minutes: 15 }));
      else if (caught instanceof ApiError && caught.status === 0) setError(t('app.networkError'));
      else setError(t('login.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={(event) => void submit(event)}>
        <h1>{t('app.name')}</h1>
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.username')}
          <input name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
