/**
 * A bulletin from text: title, Vietnamese text counted against the server's limit with an
 * estimate of how long it takes to say, voice and speed; "Listen" renders it exactly as it would
 * be broadcast, "Save" stores it. Rendering takes a few seconds, shown while it runs.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { durationText, roundEstimateMs } from '../lib/compose-format.js';
import { DEFAULT_TEXT_MAX_CHARS, textLimit } from '../lib/compose-speech.js';
import type { Bulletin, SpeechPreview, VoiceOptions } from '../lib/compose-types.js';
import { effectiveVoice, voiceProblems, voiceRequest, type VoiceChoice } from '../lib/compose-voice.js';
import { estimateSpeechMs } from '../lib/duration-estimate.js';
import { formatNumber } from '../lib/format.js';
import { FieldMessage, ServerErrorNotice } from './compose-error-notice.js';
import { ComposePreview } from './compose-preview.js';
import { ComposeProgress } from './compose-progress.js';
import { ComposeVoiceFields, voiceName } from './compose-voice-fields.js';

export interface HeardPreview {
  readonly preview: SpeechPreview;
  readonly voiceLabel: string;
}

interface Props {
  readonly voices: VoiceOptions | undefined;
  /** With the preview, when it is of exactly what was saved. */
  readonly onSaved: (bulletin: Bulletin, heard: HeardPreview | null) => void;
}

/** Fields of this form whose server messages it shows in place. */
const FIELDS = ['title', 'text', 'voice', 'speakingRate', 'pitch'] as const;
type Field = (typeof FIELDS)[number];
const NO_CHOICE: VoiceChoice = { voice: '', speakingRate: null, pitch: null };

export function ComposeText({ voices, onSaved }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<VoiceChoice>(NO_CHOICE);
  const [preview, setPreview] = useState<{ key: string; result: SpeechPreview } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState<ReadonlySet<'title' | 'text'>>(new Set());

  const limit = textLimit(text, voices?.limits?.textMaxChars ?? DEFAULT_TEXT_MAX_CHARS);
  const effective = voices ? effectiveVoice(voices, choice) : undefined;
  const rangeProblems = effective ? voiceProblems(effective) : [];
  const estimate = roundEstimateMs(estimateSpeechMs(text, effective?.speakingRate ?? choice.speakingRate ?? 1));
  const request = { text: text.trim(), ...voiceRequest(choice) };
  const requestKey = JSON.stringify(request);

  const errorFor = (field: Field): string | undefined => {
    if ((field === 'title' || field === 'text') && missing.has(field)) return t(`compose.error.${field}Required`);
    if (field === 'text' && limit.over) return t('compose.text.over', { max: formatNumber(limit.max, locale) });
    const range = rangeProblems.find((problem) => problem.field === field);
    if (range) return t('compose.error.range', { min: formatNumber(range.min, locale, 2), max: formatNumber(range.max, locale, 2) });
    return error?.fieldMessage(field);
  };

  const previewVoice = (result: SpeechPreview) =>
    voiceName(t, voices ? effectiveVoice(voices, { voice: result.voice.voice, speakingRate: null, pitch: null }).info : undefined, result.voice.voice);

  const run = async (kind: 'preview' | 'save') => {
    const absent = new Set<'title' | 'text'>();
    if (!text.trim()) absent.add('text');
    if (kind === 'save' && !title.trim()) absent.add('title');
    setMissing(absent);
    if (absent.size > 0 || limit.over || rangeProblems.length > 0) return;
    setBusy(kind);
    setError(null);
    try {
      if (kind === 'preview') {
        setPreview({ key: requestKey, result: await api.post<SpeechPreview>('/api/tts/preview', request) });
      } else {
        const bulletin = await api.post<Bulletin>('/api/bulletins', { title: title.trim(), ...request });
        onSaved(bulletin, preview && preview.key === requestKey ? { preview: preview.result, voiceLabel: previewVoice(preview.result) } : null);
      }
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(null);
    }
  };

  const edit = (apply: () => void) => {
    apply();
    setMissing(new Set());
  };

  return (
    <div class="compose-text" data-testid="compose-text">
      {error && <ServerErrorNotice error={error} elsewhere={error.details.filter((d) => !FIELDS.some((f) => d.field === f || d.field.startsWith(`${f}.`)))} testId="compose-error" />}
      <label>
        {t('compose.field.title')}
        <input lang="vi" maxLength={300} data-testid="compose-title" value={title} onInput={(event) => edit(() => setTitle(event.currentTarget.value))} />
        <FieldMessage message={errorFor('title')} />
      </label>
      <label>
        {t('compose.text.label')}
        <span class="muted small compose-hint">{t('compose.text.hint')}</span>
        <textarea
          lang="vi"
          rows={8}
          data-testid="compose-body"
          aria-invalid={limit.over}
          aria-describedby="compose-text-meter"
          value={text}
          onInput={(event) => edit(() => setText(event.currentTarget.value))}
        />
        <span id="compose-text-meter" class="compose-meter small">
          <span class={limit.over ? 'error' : limit.near ? 'compose-near' : 'muted'} data-testid="compose-count" data-count={limit.count}>
            {t('compose.text.count', { count: formatNumber(limit.count, locale), max: formatNumber(limit.max, locale) })}
          </span>
          {estimate > 0 && (
            <span class="muted" data-testid="compose-estimate" data-ms={estimate}>
              {t('compose.text.estimate', { duration: durationText(t, estimate) })}
            </span>
          )}
        </span>
        <FieldMessage message={errorFor('text')} testId="compose-text-error" />
      </label>
      {voices ? <ComposeVoiceFields options={voices} choice={choice} onChange={setChoice} errorFor={errorFor} /> : <p class="muted small">{t('app.loading')}</p>}

      <div class="actions">
        <button type="button" data-testid="compose-listen" disabled={busy !== null} onClick={() => void run('preview')}>
          {busy === 'preview' ? t('compose.listen.busy') : t('compose.listen')}
        </button>
        <button type="button" class="primary" data-testid="compose-save" disabled={busy !== null} onClick={() => void run('save')}>
          {busy === 'save' ? t('compose.save.busy') : t('compose.save')}
        </button>
      </div>
      {busy && <ComposeProgress label={busy === 'preview' ? t('compose.progress.preview') : t('compose.progress.render')} testId="compose-progress" />}
      {preview && (
        <ComposePreview preview={preview.result} stale={preview.key !== requestKey} voiceLabel={previewVoice(preview.result)} />
      )}
    </div>
  );
}
