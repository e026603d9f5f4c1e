/**
 * Step two: schedule a bulletin (the one just saved, or an earlier one) to areas, now, at a time or
 * on a rule, repeated, at a priority. While the form changes the server is asked what saving would
 * do (receivers, next plays, approval, clashes); nothing is saved until the button.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { durationText } from '../lib/compose-format.js';
import type { Bulletin, BroadcastCheck, SavedBroadcast } from '../lib/compose-types.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import {
  buildBroadcast,
  initialScheduleState,
  MAX_GAP_SECONDS,
  MAX_REPEAT_COUNT,
  SCHEDULE_PRIORITIES,
  serverFieldsOf,
  unplacedDetails,
  type BroadcastPayload,
  type ScheduleField,
  type ScheduleFormState,
  type ScheduleProblem,
  type SchedulePriority,
} from '../lib/schedule-form.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import { AreaTreePicker } from './area-tree-picker.js';
import { FieldMessage, ServerErrorNotice } from './compose-error-notice.js';
import { ScheduleCheck, type CheckView } from './schedule-check.js';
import { ScheduleOutcome } from './schedule-outcome.js';
import { ScheduleWhen } from './schedule-when.js';

/** Long enough that typing a time does not ask the server at every keystroke. */
const CHECK_DEBOUNCE_MS = 400;

type CheckResult = { readonly key: string; readonly check: BroadcastCheck } | { readonly key: string; readonly error: ApiError };

export function ScheduleForm({ saved }: { saved: Bulletin | null }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const bulletins = useApi<Bulletin[]>('/api/bulletins');
  const [state, setState] = useState<ScheduleFormState>(() => initialScheduleState(Date.now(), saved?.id ?? ''));
  const [attempted, setAttempted] = useState(false);
  const [checked, setChecked] = useState<CheckResult | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ readonly key: string; readonly error: ApiError } | null>(null);
  const [outcome, setOutcome] = useState<{ readonly key: string; readonly broadcast: SavedBroadcast } | null>(null);

  const savedId = saved?.id;
  useEffect(() => {
    if (!savedId) return;
    setState((current) => ({ ...current, bulletinId: savedId }));
    bulletins.reload();
  }, [savedId]);

  const update = (patch: Partial<ScheduleFormState>) => setState((current) => ({ ...current, ...patch }));
  const built = useMemo(() => buildBroadcast(state, session.areas), [state, session.areas]);
  const key = built.payload ? JSON.stringify(built.payload) : null;
  const payload = useRef<BroadcastPayload | null>(null);
  payload.current = built.payload;

  useEffect(() => {
    const body = payload.current;
    if (!key || !body) return;
    let current = true;
    const timer = setTimeout(() => {
      api.post<BroadcastCheck>('/api/broadcasts/check', body).then(
        (check) => current && setChecked({ key, check }),
        (error: unknown) => current && setChecked({ key, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', 'network') }),
      );
    }, CHECK_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  const checkNow = checked && checked.key === key ? checked : null;
  // The error that speaks for the form as it stands: from saving it, else from checking it.
  const serverError = (saveError?.key === key ? saveError.error : null) ?? (checkNow && 'error' in checkNow ? checkNow.error : null);
  const view: CheckView = !key ? { kind: 'incomplete' } : !checkNow ? { kind: 'checking' } : 'check' in checkNow ? { kind: 'ready', check: checkNow.check } : { kind: 'failed' };

  const problemText = (problem: ScheduleProblem): string =>
    problem.code === 'range'
      ? t('compose.problem.range', { min: formatNumber(problem.min ?? 0, locale), max: formatNumber(problem.max ?? 0, locale) })
      : t(`compose.problem.${problem.code}`);
  const errorFor = (field: ScheduleField): string | undefined => {
    // "Required" waits until the official tries to save; a wrong value is said at once.
    const problem = built.problems.find((p) => p.field === field && (attempted || p.code !== 'required'));
    if (problem) return problemText(problem);
    for (const name of serverFieldsOf(field, state.rule)) {
      const message = serverError?.fieldMessage(name);
      if (message) return message;
    }
    return undefined;
  };

  const save = async () => {
    setAttempted(true);
    const body = built.payload;
    if (!key || !body) return;
    setSaving(true);
    try {
      setOutcome({ key, broadcast: await api.post<SavedBroadcast>('/api/broadcasts', body) });
      setSaveError(null);
    } catch (error) {
      setSaveError({ key, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', 'network') });
    } finally {
      setSaving(false);
    }
  };
  const alreadySaved = outcome !== null && outcome.key === key;

  return (
    <section class="card compose-step schedule-form" aria-labelledby="compose-step-schedule" data-testid="schedule-form">
      <h2 id="compose-step-schedule">{t('compose.step.schedule')}</h2>
      <label>
        {t('compose.schedule.bulletin')}
        <select data-testid="schedule-bulletin" value={state.bulletinId} onChange={(event) => update({ bulletinId: event.currentTarget.value })}>
          <option value="">{bulletins.loading && !bulletins.data ? t('app.loading') : t('compose.schedule.chooseBulletin')}</option>
          {saved && !bulletins.data?.some((b) => b.id === saved.id) && <BulletinOption bulletin={saved} />}
          {bulletins.data?.map((bulletin) => <BulletinOption key={bulletin.id} bulletin={bulletin} />)}
        </select>
        <FieldMessage message={errorFor('bulletinId')} />
      </label>

      <fieldset class="schedule-target">
        <legend>{t('compose.schedule.areas')}</legend>
        <AreaTreePicker roots={session.areas} selected={state.areas} onChange={(areas) => update({ areas })} testId="schedule-area" />
        <FieldMessage message={errorFor('target')} testId="schedule-target-error" />
      </fieldset>

      <ScheduleWhen state={state} update={update} errorFor={errorFor} />

      <div class="row">
        <label>
          {t('compose.repeat.count')}
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_REPEAT_COUNT}
            step={1}
            data-testid="schedule-repeat-count"
            value={state.repeatCount}
            onInput={(event) => update({ repeatCount: event.currentTarget.value })}
          />
          <FieldMessage message={errorFor('repeatCount')} />
        </label>
        <label>
          {t('compose.repeat.gap')}
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_GAP_SECONDS}
            step={1}
            data-testid="schedule-repeat-gap"
            disabled={state.repeatCount.trim() === '1'}
            value={state.gapSeconds}
            onInput={(event) => update({ gapSeconds: event.currentTarget.value })}
          />
          <FieldMessage message={errorFor('gapSeconds')} />
        </label>
        <label>
          {t('compose.priority.label')}
          <select data-testid="schedule-priority" value={state.priority} onChange={(event) => update({ priority: event.currentTarget.value as SchedulePriority })}>
            {SCHEDULE_PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {t(`compose.priority.${priority}`)}
              </option>
            ))}
          </select>
          <span class="muted small">{t('compose.priority.hint')}</span>
          <FieldMessage message={errorFor('priority')} />
        </label>
      </div>

      <ScheduleCheck view={view} />

      {serverError && <ServerErrorNotice error={serverError} elsewhere={unplacedDetails(serverError.details, state.rule)} testId="schedule-error" />}
      {outcome && <ScheduleOutcome broadcast={outcome.broadcast} />}
      <div class="actions">
        <button type="button" class="primary" data-testid="schedule-save" disabled={saving || alreadySaved} onClick={() => void save()}>
          {saving ? t('compose.schedule.saving') : alreadySaved ? t('compose.schedule.saved') : state.when === 'now' ? t('compose.schedule.sendNow') : t('compose.schedule.save')}
        </button>
      </div>
    </section>
  );
}

function BulletinOption({ bulletin }: { bulletin: Bulletin }) {
  const t = useT();
  const { locale } = useLocale();
  const facts = [formatDateTime(bulletin.createdAt, locale), durationText(t, bulletin.audio.durationMs)];
  if (bulletin.approvalState === 'pending') facts.push(t('compose.schedule.bulletinPending'));
  return <option value={bulletin.id}>{`${bulletin.title} · ${facts.join(' · ')}`}</option>;
}
