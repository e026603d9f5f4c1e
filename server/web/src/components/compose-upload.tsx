/**
 * A bulletin from an audio file the official already has (a phone recording, a file from the
 * district): the server trims its silent ends and brings it to broadcast loudness.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import { recordingForm, UPLOAD_ACCEPT, type RecordingDetails } from '../lib/compose-recording.js';
import type { Bulletin } from '../lib/compose-types.js';
import { FieldMessage, ServerErrorNotice } from './compose-error-notice.js';
import { ComposeProgress } from './compose-progress.js';
import { ComposeRecordingFields } from './compose-recording-fields.js';

export const RECORDING_FIELDS = ['title', 'file', 'language', 'transcript'] as const;

export function ComposeUpload({ onSaved }: { onSaved: (bulletin: Bulletin) => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [details, setDetails] = useState<RecordingDetails>({ title: '', language: 'vi', transcript: '' });
  const [missing, setMissing] = useState<ReadonlySet<'title' | 'file'>>(new Set());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const errorFor = (field: (typeof RECORDING_FIELDS)[number]): string | undefined =>
    (field === 'title' || field === 'file') && missing.has(field) ? t(`compose.error.${field}Required`) : error?.fieldMessage(field);

  const save = async () => {
    const absent = new Set<'title' | 'file'>();
    if (!details.title.trim()) absent.add('title');
    if (!file) absent.add('file');
    setMissing(absent);
    if (!file || absent.size > 0) return;
    setSaving(true);
    setError(null);
    try {
      onSaved(await api.upload<Bulletin>('/api/bulletins', recordingForm(details, file, file.name)));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="compose-upload" data-testid="compose-upload">
      {error && <ServerErrorNotice error={error} elsewhere={error.details.filter((d) => !(RECORDING_FIELDS as readonly string[]).includes(d.field))} testId="compose-upload-error" />}
      <label>
        {t('compose.upload.file')}
        <input
          type="file"
          accept={UPLOAD_ACCEPT}
          data-testid="compose-upload-file"
          onChange={(event) => {
            setFile(event.currentTarget.files?.[0] ?? null);
            setMissing(new Set());
          }}
        />
        <span class="muted small">{t('compose.upload.hint')}</span>
        <FieldMessage message={errorFor('file')} />
      </label>
      <ComposeRecordingFields details={details} onChange={setDetails} errorFor={errorFor} testId="compose-upload" />
      <div class="actions">
        <button type="button" class="primary" data-testid="compose-upload-save" disabled={saving} onClick={() => void save()}>
          {saving ? t('compose.save.busy') : t('compose.save')}
        </button>
      </div>
      {saving && <ComposeProgress label={t('compose.progress.upload')} />}
    </div>
  );
}
