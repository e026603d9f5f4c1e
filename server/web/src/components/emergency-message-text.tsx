/**
 * The emergency message as the official completes it: the Vietnamese text, the blanks still to
 * fill shown highlighted, and one field per blank that fills it everywhere it appears.
 */
import { useState } from 'preact/hooks';
import { useLocale, useT } from '../i18n/index.js';
import { distinctBlanks, fillBlank, segmentBlanks } from '../lib/emergency-templates.js';
import { formatNumber } from '../lib/format.js';

interface Props {
  readonly text: string;
  readonly onChange: (text: string) => void;
  readonly error: string | undefined;
}

export function EmergencyMessageText({ text, onChange, error }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const blanks = distinctBlanks(text);
  return (
    <div class="emergency-message">
      <label>
        {t('emergency.text.label')}
        <span class="muted small emergency-hint">{t('emergency.text.hint')}</span>
        <textarea
          lang="vi"
          data-testid="emergency-text"
          value={text}
          rows={8}
          aria-invalid={blanks.length > 0 || error !== undefined}
          aria-describedby={blanks.length > 0 ? 'emergency-blanks' : undefined}
          onInput={(event) => onChange((event.currentTarget as HTMLTextAreaElement).value)}
        />
        <span class="muted small">{t('emergency.text.count', { count: formatNumber(text.length, locale) })}</span>
        {error && <span class="field-error">{error}</span>}
      </label>
      {blanks.length > 0 && (
        <div class="emergency-blanks" id="emergency-blanks" data-testid="emergency-blanks" role="status">
          <p class="emergency-blanks-title">{t('emergency.blanks.remaining', { count: blanks.length })}</p>
          <p class="emergency-preview" lang="vi" data-testid="emergency-preview">
            {segmentBlanks(text).map((segment, index) =>
              segment.blank ? (
                <mark key={index} class="emergency-blank">
                  {segment.text}
                </mark>
              ) : (
                <span key={index}>{segment.text}</span>
              ),
            )}
          </p>
          <div class="emergency-fill-list">
            {blanks.map((blank) => (
              <BlankField key={blank} blank={blank} onFill={(value) => onChange(fillBlank(text, blank, value))} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

function BlankField({ blank, onFill }: { blank: string; onFill: (value: string) => void }) {
  const t = useT();
  const [value, setValue] = useState('');
  const apply = () => {
    if (!value.trim()) return;
    onFill(value);
    setValue('');
  };
  return (
    <form
      class="emergency-fill"
      data-testid="emergency-blank"
      data-blank={blank}
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <label>
        {blank.slice(1, -1) || blank}
        <input lang="vi" value={value} onInput={(event) => setValue((event.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={!value.trim()}>
        {t('emergency.blanks.fill')}
      </button>
    </form>
  );
}
