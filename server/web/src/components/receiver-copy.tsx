/**
 * "Copy" next to a secret or a command. The clipboard API exists only on secure pages (https or
 * the machine itself); a console opened over plain http on the commune's network falls back to
 * the older copy command, and says so when even that is refused, so the official copies by hand.
 */
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n/index.js';

async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, page not focused): try the fallback below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

const RESET_MS = 4_000;

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), RESET_MS);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span class="receiver-copy">
      <button type="button" data-testid={testId} onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}>
        {label}
      </button>
      <span class={state === 'failed' ? 'error small' : 'muted small'} role="status">
        {state === 'copied' ? t('receivers.copy.done') : state === 'failed' ? t('receivers.copy.failed') : ''}
      </span>
    </span>
  );
}
