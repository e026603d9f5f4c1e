/** What a bulletin says: a player for its audio, its text (or parts, or a recording's transcript). */
import { useT } from '../i18n/index.js';
import type { Bulletin } from '../lib/approval-types.js';
import { durationParts } from '../lib/format.js';

export function BulletinContent({ bulletin }: { bulletin: Bulletin }) {
  const t = useT();
  const { m, s } = durationParts(bulletin.audio.durationMs);
  const spokenLanguage = bulletin.language.split('-')[0] ?? bulletin.language;
  return (
    <div class="approval-content" data-testid="approval-content">
      <div class="approval-audio">
        {/* preload none: nothing is fetched until the reviewer presses play. */}
        <audio controls preload="none" src={bulletin.audio.url} data-testid="approval-audio" aria-label={t('approvals.content.listen')} />
        <span class="muted small">{m > 0 ? t('duration.minutes', { m, s }) : t('duration.seconds', { s })}</span>
      </div>
      {bulletin.parts ? (
        <ol class="approval-parts">
          {bulletin.parts.map((part, index) => (
            <li key={index}>
              {part.kind === 'tts' ? (
                <span lang={spokenLanguage} class="approval-text">
                  {part.text}
                </span>
              ) : (
                <span class="muted">{t(part.kind === 'chime' ? 'approvals.content.chime' : 'approvals.content.recording')}</span>
              )}
            </li>
          ))}
        </ol>
      ) : (
        bulletin.text && (
          <blockquote class="approval-text" lang={spokenLanguage} data-testid="approval-text">
            {bulletin.text}
          </blockquote>
        )
      )}
      {bulletin.transcript && (
        <>
          <h3>{t('approvals.content.transcript')}</h3>
          <blockquote class="approval-text" lang={spokenLanguage}>
            {bulletin.transcript}
          </blockquote>
        </>
      )}
      {bulletin.source !== 'tts' && !bulletin.text && !bulletin.transcript && !bulletin.parts && <p class="muted">{t('approvals.content.noText')}</p>}
    </div>
  );
}
