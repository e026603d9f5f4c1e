/**
 * For admins: how the programme files of the schedules/ folder loaded last time (each file, its
 * status and errors with line numbers), and a button to read the folder again.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { useLocale, useT } from '../i18n/index.js';
import { formatDateTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';

interface ProgrammeFileError {
  readonly path: string;
  readonly field: string;
  readonly line?: number;
  readonly message: string;
}

interface ProgrammeFile {
  readonly path: string;
  /** loaded | unchanged | invalid | removed */
  readonly status: string;
  readonly programmes: number;
  readonly errors: readonly ProgrammeFileError[];
}

/** GET /api/schedules and POST /api/schedules/reload (server/http/routes/programme-routes.ts). */
export interface ProgrammeReport {
  /** null: this server instance has not loaded the folder. */
  readonly ok: boolean | null;
  readonly loadedAt: string | null;
  readonly files: readonly ProgrammeFile[];
  readonly broadcasts?: { readonly created: number; readonly cancelled: number; readonly unchanged: number };
}

const KNOWN_STATUSES = ['loaded', 'unchanged', 'invalid', 'removed'] as const;
type KnownStatus = (typeof KNOWN_STATUSES)[number];
const isKnown = (status: string): status is KnownStatus => (KNOWN_STATUSES as readonly string[]).includes(status);

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

export function CalendarProgrammes({ onReloaded }: { onReloaded: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const report = useApi<ProgrammeReport>('/api/schedules');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [reloaded, setReloaded] = useState(false);

  const reload = async () => {
    setBusy(true);
    setError(null);
    setReloaded(false);
    try {
      report.setData(await api.post<ProgrammeReport>('/api/schedules/reload'));
      setReloaded(true);
      onReloaded();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', 'network'));
    } finally {
      setBusy(false);
    }
  };

  const data = report.data;
  return (
    <section class="card calendar-programmes" data-testid="calendar-programmes">
      <h2>{t('schedule.programmes.title')}</h2>
      <p class="muted small">{t('schedule.programmes.lead')}</p>
      {report.error && !data && (
        <p class="notice error" role="alert">
          {t('app.error', { message: report.error.message })}
        </p>
      )}
      {report.loading && !data && <p>{t('app.loading')}</p>}
      {data && (
        <>
          <p class={data.ok === null ? 'notice' : data.ok ? 'notice ok' : 'notice warn'} data-testid="calendar-programmes-status">
            {data.ok === null ? t('schedule.programmes.notLoaded') : data.ok ? t('schedule.programmes.ok') : t('schedule.programmes.hasErrors')}
            {data.loadedAt && (
              <>
                {' '}
                <span class="muted small">{t('schedule.programmes.loadedAt', { time: formatDateTime(data.loadedAt, locale) })}</span>
              </>
            )}
          </p>
          {data.broadcasts && (
            <p class="small">
              {t('schedule.programmes.changes', { created: data.broadcasts.created, cancelled: data.broadcasts.cancelled, unchanged: data.broadcasts.unchanged })}
            </p>
          )}
          {data.ok !== null && data.files.length === 0 && <p class="muted">{t('schedule.programmes.noFiles')}</p>}
          {data.files.length > 0 && (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('schedule.programmes.file')}</th>
                    <th>{t('schedule.programmes.status')}</th>
                    <th>{t('schedule.programmes.count')}</th>
                    <th>{t('schedule.programmes.errors')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.files.map((file) => (
                    <tr key={file.path} data-testid="programme-file" data-status={file.status}>
                      <td class="calendar-file">{fileName(file.path)}</td>
                      <td>
                        <span class={`badge ${file.status === 'invalid' ? 'failed' : file.status === 'removed' ? '' : 'ok'}`}>
                          {isKnown(file.status) ? t(`schedule.programmes.status.${file.status}`) : file.status}
                        </span>
                      </td>
                      <td>{file.programmes}</td>
                      <td>
                        {file.errors.length === 0 ? (
                          <span class="muted">—</span>
                        ) : (
                          <ul class="calendar-file-errors">
                            {file.errors.map((problem, index) => (
                              <li key={index}>
                                {problem.line !== undefined && <strong>{t('schedule.programmes.line', { line: problem.line })} </strong>}
                                {problem.field && <code>{problem.field}</code>} {problem.message}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {error && (
        <p class="notice error" role="alert">
          {error.code === 'NETWORK' ? t('app.networkError') : t('app.error', { message: error.message })}
        </p>
      )}
      {reloaded && (
        <p class="notice ok" role="status" data-testid="calendar-programmes-reloaded">
          {t('schedule.programmes.reloaded')}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" data-testid="calendar-programmes-reload" disabled={busy} aria-busy={busy} onClick={() => void reload()}>
          {busy ? t('schedule.programmes.reloading') : t('schedule.programmes.reload')}
        </button>
      </div>
    </section>
  );
}
