/**
 * The bulletin just saved: its length, a player, how it is read (when it was listened to before
 * saving), whether it waits for an approver, and a way to write another.
 */
import { useT } from '../i18n/index.js';
import { durationText } from '../lib/compose-format.js';
import { sameOriginAudio } from '../lib/compose-speech.js';
import type { Bulletin } from '../lib/compose-types.js';
import { ComposePreview } from './compose-preview.js';
import type { HeardPreview } from './compose-text.js';

export function ComposeSaved({ bulletin, heard, onNew }: { bulletin: Bulletin; heard: HeardPreview | null; onNew: () => void }) {
  const t = useT();
  return (
    <div class="notice ok compose-saved" role="status" data-testid="compose-saved" data-bulletin-id={bulletin.id}>
      <p>
        <strong>{t('compose.saved.title', { title: bulletin.title })}</strong>{' '}
        <span data-testid="compose-saved-duration">{t('compose.saved.duration', { duration: durationText(t, bulletin.audio.durationMs) })}</span>
      </p>
      <audio controls preload="none" src={sameOriginAudio(bulletin.audio.url)} />
      {heard && <ComposePreview preview={heard.preview} stale={false} voiceLabel={heard.voiceLabel} withAudio={false} />}
      {bulletin.approvalState === 'pending' && <p class="small">{t('compose.saved.pending')}</p>}
      <p class="small">{t('compose.saved.next')}</p>
      <button type="button" data-testid="compose-new" onClick={onNew}>
        {t('compose.saved.new')}
      </button>
    </div>
  );
}
