/** The step between pressing a destructive button and doing it: what will happen, then do it or go back. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n/index.js';

interface Props {
  readonly children: ComponentChildren;
  readonly confirmLabel: string;
  readonly busy: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly testId?: string;
}

export function ConfirmStep({ children, confirmLabel, busy, onConfirm, onCancel, testId }: Props) {
  const t = useT();
  const confirm = useRef<HTMLButtonElement>(null);
  // Focus lands on the question, so a keyboard or screen-reader user is where the decision is.
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div class="notice warn receiver-confirm" role="group" data-testid={testId}>
      <div>{children}</div>
      <div class="actions">
        <button type="button" class="danger" ref={confirm} disabled={busy} data-testid={testId ? `${testId}-yes` : undefined} onClick={onConfirm}>
          {busy ? t('receivers.working') : confirmLabel}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </div>
  );
}
