/**
 * A bulletin recorded from the microphone: record, stop, listen to it, then save it like an
 * uploaded file (the server trims the silent ends and evens the loudness). A refused or missing
 * microphone is said in plain words with what to do about it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useT } from '../i18n/index.js';
import {
  formatClock,
  microphoneProblem,
  pickRecordingType,
  recordingFileName,
  recordingForm,
  recordingSupport,
  type MicrophoneProblem,
  type RecordingDetails,
} from '../lib/compose-recording.js';
import type { Bulletin } from '../lib/compose-types.js';
import { FieldMessage, ServerErrorNotice } from './compose-error-notice.js';
import { ComposeProgress } from './compose-progress.js';
import { ComposeRecordingFields } from './compose-recording-fields.js';
import { RECORDING_FIELDS } from './compose-upload.js';

/** The server refuses longer uploads (UPLOAD_MAX_SECONDS); recording stops there by itself. */
const DEFAULT_MAX_SECONDS = 1800;
/** Chunks every second, so a long recording is not held by the recorder as one growing buffer. */
const TIMESLICE_MS = 1000;

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'recording'; readonly startedAt: number }
  | { readonly kind: 'recorded'; readonly blob: Blob; readonly url: string; readonly ms: number };

interface Props {
  /** False while another way of making the bulletin is shown: a recording in progress stops. */
  readonly active: boolean;
  readonly maxSeconds: number | undefined;
  readonly onSaved: (bulletin: Bulletin) => void;
}

export function ComposeRecorder({ active, maxSeconds = DEFAULT_MAX_SECONDS, onSaved }: Props) {
  const t = useT();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [now, setNow] = useState(() => Date.now());
  const [problem, setProblem] = useState<MicrophoneProblem | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [details, setDetails] = useState<RecordingDetails>({ title: '', language: 'vi', transcript: '' });
  const [missing, setMissing] = useState<ReadonlySet<'title' | 'file'>>(new Set());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const blobUrl = useRef<string | null>(null);

  const releaseMicrophone = () => {
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
  };
  const forgetRecording = () => {
    if (blobUrl.current) URL.revokeObjectURL(blobUrl.current);
    blobUrl.current = null;
  };

  // Leaving the page stops the microphone and frees the recording.
  useEffect(
    () => () => {
      if (recorder.current?.state === 'recording') {
        recorder.current.onstop = null;
        recorder.current.stop();
      }
      releaseMicrophone();
      forgetRecording();
    },
    [],
  );

  const recording = phase.kind === 'recording';
  const elapsed = recording ? now - phase.startedAt : 0;
  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [recording]);
  useEffect(() => {
    if (recording && (!active || elapsed >= maxSeconds * 1000)) stop();
  }, [recording, active, elapsed, maxSeconds]);

  const start = async () => {
    setProblem(null);
    setError(null);
    setConfirmDiscard(false);
    const unsupported = recordingSupport({
      isSecureContext: window.isSecureContext,
      hasMediaDevices: typeof navigator.mediaDevices?.getUserMedia === 'function',
      hasMediaRecorder: typeof window.MediaRecorder === 'function',
    });
    if (unsupported) {
      setProblem(unsupported);
      return;
    }
    setPhase({ kind: 'starting' });
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
    } catch (caught) {
      setProblem(microphoneProblem(caught));
      setPhase({ kind: 'idle' });
      return;
    }
    stream.current = media;
    const mimeType = pickRecordingType((type) => MediaRecorder.isTypeSupported(type));
    const chunks: Blob[] = [];
    let next: MediaRecorder;
    try {
      next = new MediaRecorder(media, mimeType ? { mimeType } : undefined);
    } catch {
      releaseMicrophone();
      setProblem('unsupported');
      setPhase({ kind: 'idle' });
      return;
    }
    const startedAt = Date.now();
    next.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    next.onstop = () => {
      releaseMicrophone();
      const blob = new Blob(chunks, { type: next.mimeType || mimeType || 'audio/webm' });
      forgetRecording();
      blobUrl.current = URL.createObjectURL(blob);
      setPhase({ kind: 'recorded', blob, url: blobUrl.current, ms: Date.now() - startedAt });
    };
    next.onerror = () => {
      releaseMicrophone();
      setProblem('failed');
      setPhase({ kind: 'idle' });
    };
    recorder.current = next;
    next.start(TIMESLICE_MS);
    setNow(startedAt);
    setPhase({ kind: 'recording', startedAt });
  };

  function stop() {
    if (recorder.current?.state === 'recording') recorder.current.stop();
  }

  const discard = () => {
    forgetRecording();
    setConfirmDiscard(false);
    setPhase({ kind: 'idle' });
  };

  const errorFor = (field: (typeof RECORDING_FIELDS)[number]): string | undefined =>
    (field === 'title' || field === 'file') && missing.has(field) ? t(`compose.error.${field === 'file' ? 'recordingRequired' : 'titleRequired'}`) : error?.fieldMessage(field);

  const save = async () => {
    const absent = new Set<'title' | 'file'>();
    if (!details.title.trim()) absent.add('title');
    if (phase.kind !== 'recorded') absent.add('file');
    setMissing(absent);
    if (phase.kind !== 'recorded' || absent.size > 0) return;
    setSaving(true);
    setError(null);
    try {
      const name = recordingFileName(phase.blob.type, new Date().toISOString());
      onSaved(await api.upload<Bulletin>('/api/bulletins', recordingForm(details, phase.blob, name)));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="compose-recorder" data-testid="compose-recorder">
      {error && <ServerErrorNotice error={error} elsewhere={error.details.filter((d) => !(RECORDING_FIELDS as readonly string[]).includes(d.field))} testId="compose-record-error" />}
      {problem && (
        <div class="notice error" role="alert" data-testid="compose-mic-problem" data-problem={problem}>
          {t(`compose.mic.${problem}`)}
        </div>
      )}
      <div class="compose-record-bar" data-testid="compose-record-state" data-state={phase.kind}>
        {phase.kind === 'recording' ? (
          <>
            <span class="compose-record-dot" aria-hidden="true" />
            <span class="compose-clock" role="timer" data-testid="compose-record-clock">
              {formatClock(elapsed)}
            </span>
            <button type="button" class="danger" data-testid="compose-record-stop" onClick={stop}>
              {t('compose.record.stop')}
            </button>
          </>
        ) : phase.kind === 'recorded' ? (
          <>
            <audio controls src={phase.url} data-testid="compose-record-playback" />
            <span class="muted small">{t('compose.record.length', { clock: formatClock(phase.ms) })}</span>
            {!confirmDiscard && (
              <button type="button" data-testid="compose-record-again" disabled={saving} onClick={() => setConfirmDiscard(true)}>
                {t('compose.record.again')}
              </button>
            )}
          </>
        ) : (
          <button type="button" class="primary" data-testid="compose-record-start" disabled={phase.kind === 'starting'} onClick={() => void start()}>
            {phase.kind === 'starting' ? t('compose.record.starting') : t('compose.record.start')}
          </button>
        )}
      </div>
      {recording && <p class="muted small">{t('compose.record.hint', { max: formatClock(maxSeconds * 1000) })}</p>}
      {confirmDiscard && (
        <div class="notice warn compose-confirm" role="alertdialog" aria-labelledby="compose-discard-question">
          <p id="compose-discard-question">{t('compose.record.discardQuestion')}</p>
          <div class="actions">
            <button type="button" class="danger" data-testid="compose-record-discard" onClick={discard}>
              {t('compose.record.discard')}
            </button>
            <button type="button" onClick={() => setConfirmDiscard(false)}>
              {t('compose.record.keep')}
            </button>
          </div>
        </div>
      )}
      <FieldMessage message={errorFor('file')} />
      <ComposeRecordingFields details={details} onChange={setDetails} errorFor={errorFor} testId="compose-record" />
      <div class="actions">
        <button type="button" class="primary" data-testid="compose-record-save" disabled={saving || recording} onClick={() => void save()}>
          {saving ? t('compose.save.busy') : t('compose.save')}
        </button>
      </div>
      {saving && <ComposeProgress label={t('compose.progress.upload')} />}
    </div>
  );
}
