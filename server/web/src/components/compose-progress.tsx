/**
 * "Still working" for the slow steps (rendering speech, normalising a recording): a moving bar and
 * the seconds so far, so nobody presses the button again thinking nothing happened.
 */
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n/index.js';

export function ComposeProgress({ label, testId }: { label: string; testId?: string }) {
  const t = useT();
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.floor((now - started) / 1000);
  return (
    <div class="compose-progress" role="status" aria-live="polite" data-testid={testId}>
      <progress aria-label={label} />
      <span>
        {label} {seconds > 0 && <span class="muted">{t('compose.progress.elapsed', { s: seconds })}</span>}
      </span>
    </div>
  );
}
