/**
 * `#/compose`: write a bulletin (text read by the speech engine, an audio file, or the microphone),
 * listen to it as it will be broadcast, save it; then schedule it, or an earlier one, seeing what
 * the schedule will do before saving it.
 */
import { useState } from 'preact/hooks';
import { ComposeBulletin } from '../components/compose-bulletin.js';
import { ScheduleForm } from '../components/schedule-form.js';
import { useT } from '../i18n/index.js';
import type { Bulletin, VoiceOptions } from '../lib/compose-types.js';
import { useApi } from '../lib/use-api.js';
import { useSession } from '../session.js';
import '../styles/compose.css';

export function ComposePage(_props: { path: string }) {
  const t = useT();
  const session = useSession();
  const voices = useApi<VoiceOptions>('/api/tts/voices');
  const [saved, setSaved] = useState<Bulletin | null>(null);
  return (
    <div class="compose-page" data-testid="compose-page">
      <h1>{t('compose.title')}</h1>
      <p class="muted compose-lead">{t('compose.lead')}</p>
      {voices.error && (
        <p class="notice warn" role="alert">
          {t('compose.voices.error')}
        </p>
      )}
      <ComposeBulletin voices={voices.data} saved={saved} onSaved={setSaved} />
      {session.may('broadcasts:write') && <ScheduleForm saved={saved} />}
    </div>
  );
}
