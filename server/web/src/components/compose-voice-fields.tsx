/**
 * Voice, speed and pitch of a text bulletin. Left alone, each follows the area's default (or the
 * server's), which the labels name; a changed one can be set back to the default.
 */
import { useLocale, useT, type Translate } from '../i18n/index.js';
import type { VoiceInfo, VoiceOptions } from '../lib/compose-types.js';
import { effectiveVoice, knownVoice, sliderBounds, type VoiceChoice } from '../lib/compose-voice.js';
import { formatNumber } from '../lib/format.js';
import { FieldMessage } from './compose-error-notice.js';

interface Props {
  readonly options: VoiceOptions;
  readonly choice: VoiceChoice;
  readonly onChange: (choice: VoiceChoice) => void;
  readonly errorFor: (field: 'voice' | 'speakingRate' | 'pitch') => string | undefined;
}

const KNOWN_PROVIDERS = ['espeak', 'google'] as const;
const RATE_STEP = 0.05;
/** Half a semitone: finer steps are not heard over a loudspeaker. */
const PITCH_STEP = 0.5;

export function voiceName(t: Translate, voice: VoiceInfo | undefined, name: string): string {
  const known = knownVoice(name);
  if (known) return t(`compose.voice.known.${known}`);
  if (!voice) return name;
  return voice.gender ? t('compose.voice.withGender', { label: voice.label, gender: t(`compose.voice.gender.${voice.gender}`) }) : voice.label;
}

function providerName(t: Translate, provider: string): string {
  return (KNOWN_PROVIDERS as readonly string[]).includes(provider) ? t(`compose.voice.provider.${provider as (typeof KNOWN_PROVIDERS)[number]}`) : provider;
}

export function ComposeVoiceFields({ options, choice, onChange, errorFor }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const fallback = effectiveVoice(options, { voice: '', speakingRate: null, pitch: null });
  const effective = effectiveVoice(options, choice);
  const { pitchRange } = effective;
  const rateBounds = sliderBounds(effective.rateRange, RATE_STEP);
  const pitchBounds = sliderBounds(pitchRange ?? { min: 0, max: 0, default: 0 }, PITCH_STEP);
  const number = (value: number) => formatNumber(value, locale, 2);
  return (
    <fieldset class="compose-voice">
      <legend>{t('compose.voice.legend')}</legend>
      <div class="row">
        <label>
          {t('compose.voice.label')}
          <select
            data-testid="compose-voice"
            value={choice.voice}
            // A new voice has its own ranges: its speed and pitch start from its defaults.
            onChange={(event) => onChange({ voice: event.currentTarget.value, speakingRate: null, pitch: null })}
          >
            <option value="">{t('compose.voice.default', { voice: voiceName(t, fallback.info, fallback.name) })}</option>
            {options.providers
              .filter((provider) => provider.voices.length > 0)
              .map((provider) => (
                <optgroup key={provider.provider} label={providerName(t, provider.provider)}>
                  {provider.voices.map((voice) => (
                    <option key={voice.name} value={voice.name}>
                      {voiceName(t, voice, voice.name)}
                    </option>
                  ))}
                </optgroup>
              ))}
          </select>
          <FieldMessage message={errorFor('voice')} />
        </label>
        <label>
          {t('compose.voice.rate', { rate: number(effective.speakingRate) })}
          <input
            type="range"
            data-testid="compose-rate"
            min={rateBounds.min}
            max={rateBounds.max}
            step={RATE_STEP}
            value={effective.speakingRate}
            onInput={(event) => onChange({ ...choice, speakingRate: Number(event.currentTarget.value) })}
          />
          <span class="compose-scale muted small" aria-hidden="true">
            <span>{t('compose.voice.slower')}</span>
            <span>{t('compose.voice.faster')}</span>
          </span>
          {choice.speakingRate !== null && (
            <button type="button" class="link-button small" onClick={() => onChange({ ...choice, speakingRate: null })}>
              {t('compose.voice.reset')}
            </button>
          )}
          <FieldMessage message={errorFor('speakingRate')} />
        </label>
        <label>
          {t('compose.voice.pitch', { pitch: number(effective.pitch) })}
          <input
            type="range"
            data-testid="compose-pitch"
            min={pitchBounds.min}
            max={pitchBounds.max}
            step={PITCH_STEP}
            disabled={pitchRange === null}
            value={effective.pitch}
            onInput={(event) => onChange({ ...choice, pitch: Number(event.currentTarget.value) })}
          />
          <span class="compose-scale muted small" aria-hidden="true">
            <span>{t('compose.voice.lower')}</span>
            <span>{t('compose.voice.higher')}</span>
          </span>
          {pitchRange === null && <span class="muted small">{t('compose.voice.pitchFixed')}</span>}
          {choice.pitch !== null && (
            <button type="button" class="link-button small" onClick={() => onChange({ ...choice, pitch: null })}>
              {t('compose.voice.resetPitch')}
            </button>
          )}
          <FieldMessage message={errorFor('pitch')} />
        </label>
      </div>
    </fieldset>
  );
}
