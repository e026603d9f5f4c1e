/** Title, language and transcript of a recording, uploaded or made with the microphone. */
import { useT } from '../i18n/index.js';
import { RECORDING_LANGUAGES, type RecordingDetails } from '../lib/compose-recording.js';
import { FieldMessage } from './compose-error-notice.js';

interface Props {
  readonly details: RecordingDetails;
  readonly onChange: (details: RecordingDetails) => void;
  readonly errorFor: (field: 'title' | 'language' | 'transcript') => string | undefined;
  readonly testId: string;
}

export function ComposeRecordingFields({ details, onChange, errorFor, testId }: Props) {
  const t = useT();
  return (
    <>
      <div class="row">
        <label>
          {t('compose.field.title')}
          <input lang="vi" maxLength={300} data-testid={`${testId}-title`} value={details.title} onInput={(event) => onChange({ ...details, title: event.currentTarget.value })} />
          <FieldMessage message={errorFor('title')} />
        </label>
        <label>
          {t('compose.recording.language')}
          <select data-testid={`${testId}-language`} value={details.language} onChange={(event) => onChange({ ...details, language: event.currentTarget.value })}>
            {RECORDING_LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`compose.language.${language}`)}
              </option>
            ))}
          </select>
          <FieldMessage message={errorFor('language')} />
        </label>
      </div>
      <label>
        {t('compose.recording.transcript')}
        <span class="muted small compose-hint">{t('compose.recording.transcriptHint')}</span>
        <textarea rows={3} data-testid={`${testId}-transcript`} value={details.transcript} onInput={(event) => onChange({ ...details, transcript: event.currentTarget.value })} />
        <FieldMessage message={errorFor('transcript')} />
      </label>
    </>
  );
}
