/**
 * Sending an emergency: a template or free text (or a bulletin, or a recording), the signal and
 * repeats, where; then the confirmation step, and only its button posts. After sending, the live
 * board of the new emergency opens.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT, type Translate } from '../i18n/index.js';
import { findArea } from '../lib/area-tree.js';
import {
  CADENCE_CHOICES,
  EMERGENCY_TEMPLATES,
  HAZARDS,
  TEMPLATE_HAZARDS,
  allReceivers,
  emergencySettings,
  emergencyTitle,
  emergencyUploadForm,
  firstWords,
  receiversReached,
  signalDurationMs,
  unfilledBlanks,
  type CadenceChoice,
  type EmergencySettings,
  type Hazard,
  type SettingsProblem,
  type TemplateHazard,
} from '../lib/emergency-templates.js';
import { durationParts, formatDateTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { AreaTreePicker } from './area-tree-picker.js';
import type { EmergencySummary } from './emergency-board.js';
import { EmergencyConfirm, type EmergencyConfirmation } from './emergency-confirm.js';
import { EmergencyMessageText } from './emergency-message-text.js';

interface SignalView {
  readonly name: string;
  readonly label: string;
  readonly pattern: { readonly sound: string; readonly blasts: number; readonly blastMs: number; readonly gapMs: number };
  readonly audio: { readonly sha256: string } | null;
}

interface BulletinOption {
  readonly id: string;
  readonly title: string;
  readonly text: string | null;
  readonly createdAt: string;
  readonly audio: { readonly durationMs: number };
}

type Source = 'text' | 'bulletin' | 'upload';
const SOURCES: readonly Source[] = ['text', 'bulletin', 'upload'];
const KNOWN_SIGNALS = ['siren', 'chime', 'three-tone', 'storm'] as const;
/** What the server accepts (server/http/audio-upload.ts UPLOAD_EXTENSIONS). */
const UPLOAD_ACCEPT = '.mp3,.wav,.ogg,.oga,.opus,.m4a,.aac,.webm,.flac,audio/*';
const DEFAULT_SIGNAL = 'siren';

/** A signal's name in the console's language; signals an admin added keep the label they were given. */
export function signalName(t: Translate, name: string, label?: string): string {
  return (KNOWN_SIGNALS as readonly string[]).includes(name) ? t(`emergency.signal.${name as (typeof KNOWN_SIGNALS)[number]}`) : (label ?? name);
}

export function hazardName(t: Translate, hazard: string | null): string {
  return hazard && (HAZARDS as readonly string[]).includes(hazard) ? t(`emergency.hazard.${hazard as Hazard}`) : '';
}

function durationText(t: Translate, ms: number): string {
  const { m, s } = durationParts(ms);
  return m > 0 ? t('duration.minutes', { m, s }) : t('duration.seconds', { s });
}

export function EmergencySend() {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const signals = useApi<SignalView[]>('/api/emergency/signals');

  const [template, setTemplate] = useState<TemplateHazard | 'free' | null>(null);
  const [source, setSource] = useState<Source>('text');
  const [text, setText] = useState('');
  const [bulletinId, setBulletinId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [uploadTitle, setUploadTitle] = useState('');
  const [hazard, setHazard] = useState<Hazard | ''>('');
  const [signal, setSignal] = useState(DEFAULT_SIGNAL);
  const [repeat, setRepeat] = useState('2');
  const [gapSeconds, setGapSeconds] = useState('5');
  const [validityMinutes, setValidityMinutes] = useState('30');
  const [cadence, setCadence] = useState<CadenceChoice>('none');
  const [targetAll, setTargetAll] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [advancedOpen, setAdvancedOpen] = useState(false);

  const [problems, setProblems] = useState<readonly SettingsProblem[]>([]);
  const [contentProblem, setContentProblem] = useState<'text' | 'bulletinId' | 'file' | null>(null);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<{ settings: EmergencySettings; confirmation: EmergencyConfirmation } | null>(null);
  const [sending, setSending] = useState(false);

  const bulletins = useApi<BulletinOption[]>(source === 'bulletin' ? '/api/bulletins' : null);
  const blanks = source === 'text' ? unfilledBlanks(text) : [];
  const reach = targetAll
    ? { areaIds: session.areas.map((area) => area.id), receivers: allReceivers(session.areas) }
    : receiversReached(session.areas, selected);

  const applyTemplate = (hazardOfTemplate: TemplateHazard) => {
    const chosen = EMERGENCY_TEMPLATES[hazardOfTemplate];
    setTemplate(hazardOfTemplate);
    setSource('text');
    setText(chosen.text);
    setHazard(chosen.hazard);
    setSignal(chosen.signal);
    setRepeat(String(chosen.repeat));
    setContentProblem(null);
  };
  const freeText = () => {
    setTemplate('free');
    setSource('text');
    setText('');
    setHazard('');
  };

  const problemOf = (field: SettingsProblem['field']): string | undefined => {
    const problem = problems.find((p) => p.field === field);
    if (problem) return problem.kind === 'range' ? t('emergency.error.range', { min: problem.min, max: problem.max }) : t('emergency.error.target');
    return serverError?.fieldMessage(field);
  };
  const contentError = (field: 'text' | 'bulletinId' | 'file'): string | undefined =>
    contentProblem === field ? t(`emergency.error.${field}`) : serverError?.fieldMessage(field);

  const messagePreview = (): string => {
    if (source === 'text') return firstWords(text, 24);
    if (source === 'bulletin') {
      const bulletin = bulletins.data?.find((b) => b.id === bulletinId);
      return bulletin ? `${bulletin.title}: ${firstWords(bulletin.text ?? '', 18)}` : '';
    }
    return t('emergency.confirm.recording', { name: file?.name ?? '' });
  };

  const openConfirmation = () => {
    setServerError(null);
    const missing = source === 'text' ? (text.trim() ? null : 'text') : source === 'bulletin' ? (bulletinId ? null : 'bulletinId') : file ? null : 'file';
    setContentProblem(missing);
    const result = emergencySettings({ hazard, signal, repeat, gapSeconds, validityMinutes, cadence, targetAll, areaIds: reach.areaIds });
    setProblems(result.problems);
    if (result.problems.some((p) => p.field !== 'target')) setAdvancedOpen(true);
    if (!result.settings || missing || blanks.length > 0) return;
    const chosenSignal = signals.data?.find((s) => s.name === signal);
    setPending({
      settings: result.settings,
      confirmation: {
        areaNames: reach.areaIds.map((id) => findArea(session.areas, id)?.name ?? id),
        receivers: reach.receivers,
        signal: chosenSignal ? `${signalName(t, chosenSignal.name, chosenSignal.label)} (${durationText(t, signalDurationMs(chosenSignal.pattern))})` : '',
        hazard: hazardName(t, hazard || null),
        message: messagePreview(),
        repeat: result.settings.repeat,
        cadence: cadence === 'none' ? '' : t(`emergency.cadence.${cadence}`),
      },
    });
  };

  const send = async () => {
    if (!pending) return;
    setSending(true);
    try {
      const { settings } = pending;
      const created =
        source === 'upload' && file
          ? await api.upload<EmergencySummary>('/api/emergency', emergencyUploadForm(settings, uploadTitle, file, file.name))
          : await api.post<EmergencySummary>(
              '/api/emergency',
              source === 'bulletin' ? { bulletinId, ...settings } : { text: text.trim(), title: emergencyTitle(hazard || null, formatDateTime(new Date(), 'vi')), ...settings },
            );
      navigate(`/emergency/${encodeURIComponent(created.id)}`);
    } catch (error) {
      setServerError(error instanceof ApiError ? error : new ApiError(0, 'NETWORK', 'network'));
      setPending(null);
      if (error instanceof ApiError && error.details.some((d) => ['gapSeconds', 'validityMinutes', 'cadence', 'until'].some((f) => d.field.startsWith(f)))) setAdvancedOpen(true);
    } finally {
      setSending(false);
    }
  };

  const cadenceError = serverError?.fieldMessage('cadence') ?? serverError?.fieldMessage('until');

  return (
    <>
      {pending && <EmergencyConfirm confirmation={pending.confirmation} sending={sending} onConfirm={() => void send()} onCancel={() => setPending(null)} />}
      {/* Kept mounted while confirming so a chosen file and every field survive Cancel. */}
      <div class="emergency-form" hidden={pending !== null}>
        {serverError && <ServerErrorNotice error={serverError} />}

        <section class="card emergency-section">
          <h2>{t('emergency.step.message')}</h2>
          <p class="muted small">{t('emergency.templates.hint')}</p>
          <div class="emergency-templates" role="group" aria-label={t('emergency.templates.label')}>
            {TEMPLATE_HAZARDS.map((name) => (
              <button
                key={name}
                type="button"
                class={`emergency-template hazard-${name}`}
                aria-pressed={template === name}
                data-testid={`emergency-template-${name}`}
                onClick={() => applyTemplate(name)}
              >
                {t(`emergency.hazard.${name}`)}
              </button>
            ))}
            <button type="button" class="emergency-template" aria-pressed={template === 'free'} data-testid="emergency-template-free" onClick={freeText}>
              {t('emergency.templates.free')}
            </button>
          </div>

          <fieldset class="emergency-source">
            <legend>{t('emergency.source.label')}</legend>
            {SOURCES.map((value) => (
              <label key={value} class="inline-choice">
                <input type="radio" name="emergency-source" value={value} checked={source === value} data-testid={`emergency-source-${value}`} onChange={() => setSource(value)} />
                {t(`emergency.source.${value}`)}
              </label>
            ))}
          </fieldset>

          {source === 'text' && <EmergencyMessageText text={text} onChange={setText} error={contentError('text')} />}
          {source === 'bulletin' && (
            <label>
              {t('emergency.bulletin.label')}
              <select data-testid="emergency-bulletin" value={bulletinId} onChange={(event) => setBulletinId((event.currentTarget as HTMLSelectElement).value)}>
                <option value="">{bulletins.loading ? t('app.loading') : t('emergency.bulletin.choose')}</option>
                {bulletins.data?.map((bulletin) => (
                  <option key={bulletin.id} value={bulletin.id}>
                    {bulletin.title} · {formatDateTime(bulletin.createdAt, locale)} · {durationText(t, bulletin.audio.durationMs)}
                  </option>
                ))}
              </select>
              {bulletins.error && <span class="field-error">{bulletins.error.message}</span>}
              {contentError('bulletinId') && <span class="field-error">{contentError('bulletinId')}</span>}
            </label>
          )}
          {source === 'upload' && (
            <div class="row">
              <label>
                {t('emergency.upload.file')}
                <input
                  type="file"
                  accept={UPLOAD_ACCEPT}
                  data-testid="emergency-file"
                  onChange={(event) => setFile((event.currentTarget as HTMLInputElement).files?.[0] ?? null)}
                />
                {contentError('file') && <span class="field-error">{contentError('file')}</span>}
              </label>
              <label>
                {t('emergency.upload.title')}
                <input lang="vi" value={uploadTitle} data-testid="emergency-upload-title" onInput={(event) => setUploadTitle((event.currentTarget as HTMLInputElement).value)} />
                {serverError?.fieldMessage('title') && <span class="field-error">{serverError.fieldMessage('title')}</span>}
              </label>
            </div>
          )}

          <div class="row">
            <label>
              {t('emergency.hazard.label')}
              <select data-testid="emergency-hazard" value={hazard} onChange={(event) => setHazard((event.currentTarget as HTMLSelectElement).value as Hazard | '')}>
                <option value="">{t('emergency.hazard.none')}</option>
                {HAZARDS.map((name) => (
                  <option key={name} value={name}>
                    {t(`emergency.hazard.${name}`)}
                  </option>
                ))}
              </select>
              {serverError?.fieldMessage('hazard') && <span class="field-error">{serverError.fieldMessage('hazard')}</span>}
            </label>
            <label>
              {t('emergency.signal.label')}
              <select data-testid="emergency-signal" value={signal} onChange={(event) => setSignal((event.currentTarget as HTMLSelectElement).value)}>
                <option value="">{t('emergency.signal.none')}</option>
                {(signals.data ?? []).map((s) => (
                  <option key={s.name} value={s.name}>
                    {signalName(t, s.name, s.label)} ({durationText(t, signalDurationMs(s.pattern))})
                  </option>
                ))}
                {!signals.data && signal && <option value={signal}>{signalName(t, signal)}</option>}
              </select>
              {signals.error && <span class="field-error">{signals.error.message}</span>}
              {serverError?.fieldMessage('tone') && <span class="field-error">{serverError.fieldMessage('tone')}</span>}
            </label>
            <label>
              {t('emergency.repeat.label')}
              <input type="number" inputMode="numeric" min={1} max={10} step={1} data-testid="emergency-repeat" value={repeat} onInput={(event) => setRepeat((event.currentTarget as HTMLInputElement).value)} />
              {problemOf('repeat') && <span class="field-error">{problemOf('repeat')}</span>}
            </label>
          </div>
          <SignalPreview signal={signals.data?.find((s) => s.name === signal)} />
        </section>

        <section class="card emergency-section">
          <h2>{t('emergency.step.where')}</h2>
          <fieldset class="emergency-target">
            <legend class="visually-hidden">{t('emergency.step.where')}</legend>
            <label class="inline-choice">
              <input type="radio" name="emergency-target" checked={targetAll} data-testid="emergency-target-all" onChange={() => setTargetAll(true)} />
              {t('emergency.target.all', { count: allReceivers(session.areas) })}
            </label>
            <label class="inline-choice">
              <input type="radio" name="emergency-target" checked={!targetAll} data-testid="emergency-target-areas" onChange={() => setTargetAll(false)} />
              {t('emergency.target.choose')}
            </label>
          </fieldset>
          {!targetAll && <AreaTreePicker roots={session.areas} selected={selected} onChange={setSelected} testId="emergency-area" />}
          <p class="emergency-reach" data-testid="emergency-reach">
            {t('emergency.target.reach', { count: reach.receivers })}
          </p>
          {problemOf('target') && <span class="field-error">{problemOf('target')}</span>}
        </section>

        <details class="card emergency-advanced" open={advancedOpen} onToggle={(event) => setAdvancedOpen((event.currentTarget as HTMLDetailsElement).open)}>
          <summary data-testid="emergency-advanced">{t('emergency.advanced.title')}</summary>
          <div class="row">
            <label>
              {t('emergency.gap.label')}
              <input type="number" inputMode="numeric" min={0} max={600} step={1} data-testid="emergency-gap" value={gapSeconds} onInput={(event) => setGapSeconds((event.currentTarget as HTMLInputElement).value)} />
              {problemOf('gapSeconds') && <span class="field-error">{problemOf('gapSeconds')}</span>}
            </label>
            <label>
              {t('emergency.validity.label')}
              <input
                type="number"
                inputMode="decimal"
                min={0.1}
                max={1440}
                step="any"
                data-testid="emergency-validity"
                value={validityMinutes}
                onInput={(event) => setValidityMinutes((event.currentTarget as HTMLInputElement).value)}
              />
              <span class="muted small">{t('emergency.validity.hint')}</span>
              {problemOf('validityMinutes') && <span class="field-error">{problemOf('validityMinutes')}</span>}
            </label>
            <label>
              {t('emergency.cadence.label')}
              <select data-testid="emergency-cadence" value={cadence} onChange={(event) => setCadence((event.currentTarget as HTMLSelectElement).value as CadenceChoice)}>
                {CADENCE_CHOICES.map((choice) => (
                  <option key={choice} value={choice}>
                    {t(`emergency.cadence.${choice}`)}
                  </option>
                ))}
              </select>
              <span class="muted small">{t('emergency.cadence.hint')}</span>
              {cadenceError && <span class="field-error">{cadenceError}</span>}
            </label>
          </div>
        </details>
        {hazard === 'storm' && cadence === 'none' && !advancedOpen && <p class="muted small">{t('emergency.cadence.stormHint')}</p>}

        {blanks.length > 0 && (
          <p class="notice warn" data-testid="emergency-blocked">
            {t('emergency.blanks.blocked', { blanks: [...new Set(blanks)].join(', ') })}
          </p>
        )}
        <div class="emergency-send-bar">
          <button type="button" class="danger emergency-send" data-testid="emergency-send" disabled={blanks.length > 0} onClick={openConfirmation}>
            {t('emergency.send')}
          </button>
        </div>
      </div>
    </>
  );
}

function SignalPreview({ signal }: { signal: SignalView | undefined }) {
  const t = useT();
  if (!signal?.audio) return null;
  return (
    <div class="emergency-signal-preview">
      <span class="muted small">{t('emergency.signal.listen')}</span>
      <audio controls preload="none" src={`/audio/${signal.audio.sha256}.mp3`} />
    </div>
  );
}

function ServerErrorNotice({ error }: { error: ApiError }) {
  const t = useT();
  if (error.status === 403) {
    return (
      <div class="notice error emergency-forbidden" role="alert" data-testid="emergency-error">
        <strong>{t('emergency.error.forbidden')}</strong>
        <p class="small">{error.message}</p>
      </div>
    );
  }
  if (error.details.length === 0) {
    return (
      <div class="notice error" role="alert" data-testid="emergency-error">
        {error.status === 0 ? t('app.networkError') : t('app.error', { message: error.message })}
      </div>
    );
  }
  // Messages for a field of the form stand next to it; any other is listed here so none is lost.
  const elsewhere = error.details.filter((detail) => !FORM_FIELDS.some((field) => detail.field === field || detail.field.startsWith(`${field}.`)));
  return (
    <div class="notice error" role="alert" data-testid="emergency-error">
      {t('emergency.error.fields')}
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map((detail) => (
            <li key={detail.field}>{detail.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Fields whose server messages the form shows in place. */
const FORM_FIELDS = ['text', 'title', 'bulletinId', 'file', 'hazard', 'tone', 'repeat', 'gapSeconds', 'validityMinutes', 'cadence', 'until', 'target'];
