/**
 * What "Listen" gave back: the audio exactly as the bulletin would be spoken, the text as the
 * engine reads it, each number or abbreviation that was written out in words, and the tokens the
 * server could not read with confidence, which the official should look at before saving.
 */
import { useLocale, useT, type Translate } from '../i18n/index.js';
import { durationText } from '../lib/compose-format.js';
import { knownFlag, sameOriginAudio, visibleChanges } from '../lib/compose-speech.js';
import type { FlaggedToken, SpeechPreview } from '../lib/compose-types.js';
import { formatNumber } from '../lib/format.js';

interface Props {
  readonly preview: SpeechPreview;
  /** The text or voice changed since: this is no longer what would be said. */
  readonly stale: boolean;
  readonly voiceLabel: string;
  /** False under a saved bulletin, which has its own player: only how it is read. */
  readonly withAudio?: boolean;
}

function flagReason(t: Translate, flag: FlaggedToken): string {
  const code = knownFlag(flag.code);
  return code ? t(`compose.flag.${code}`) : flag.reason;
}

export function ComposePreview({ preview, stale, voiceLabel, withAudio = true }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const changes = visibleChanges(preview.changes);
  return (
    <section class={stale ? 'compose-preview stale' : 'compose-preview'} data-testid="compose-preview" aria-label={t('compose.preview.title')}>
      {withAudio && <h3>{t('compose.preview.title')}</h3>}
      {stale && (
        <p class="notice warn" data-testid="compose-preview-stale">
          {t('compose.preview.stale')}
        </p>
      )}
      {withAudio && <audio controls preload="auto" src={sameOriginAudio(preview.audio.url)} data-testid="compose-preview-audio" />}
      <p class="muted small" data-testid="compose-preview-facts">
        {t('compose.preview.facts', {
          duration: durationText(t, preview.audio.durationMs),
          voice: voiceLabel,
          rate: formatNumber(preview.voice.speakingRate, locale, 2),
        })}
      </p>
      <h4>{t('compose.preview.spoken')}</h4>
      <p class="compose-spoken" lang="vi" data-testid="compose-spoken">
        {preview.spokenText}
      </p>
      {preview.flagged.length > 0 && (
        <div class="notice warn" data-testid="compose-flagged">
          <strong>{t('compose.preview.flagged', { count: preview.flagged.length })}</strong>
          <ul>
            {preview.flagged.map((flag) => (
              <li key={`${flag.index}:${flag.token}`}>
                <mark lang="vi">{flag.token}</mark> {flagReason(t, flag)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {changes.length > 0 && (
        <details class="compose-changes" open data-testid="compose-changes">
          <summary>{t('compose.preview.changes', { count: changes.length })}</summary>
          <ul>
            {changes.map((change) => (
              <li key={`${change.index}:${change.from}`} lang="vi">
                <code>{change.from.trim()}</code> <span aria-hidden="true">→</span>
                <span class="visually-hidden">{t('compose.preview.readAs')}</span> {change.to.trim()}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
