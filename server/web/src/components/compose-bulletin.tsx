/**
 * Step one: the bulletin, from text read by the speech engine, an audio file, or the microphone.
 * Each way keeps what was entered when the official switches to another and back.
 */
import { useState } from 'preact/hooks';
import { useT } from '../i18n/index.js';
import type { Bulletin, VoiceOptions } from '../lib/compose-types.js';
import { ComposeRecorder } from './compose-recorder.js';
import { ComposeSaved } from './compose-saved.js';
import { ComposeText, type HeardPreview } from './compose-text.js';
import { ComposeUpload } from './compose-upload.js';

const SOURCES = ['text', 'upload', 'record'] as const;
type Source = (typeof SOURCES)[number];

interface Props {
  readonly voices: VoiceOptions | undefined;
  readonly saved: Bulletin | null;
  readonly onSaved: (bulletin: Bulletin | null) => void;
}

export function ComposeBulletin({ voices, saved, onSaved }: Props) {
  const t = useT();
  const [source, setSource] = useState<Source>('text');
  // A new key after "write another" starts every form afresh.
  const [round, setRound] = useState(0);
  const [heard, setHeard] = useState<HeardPreview | null>(null);
  const savedWith = (bulletin: Bulletin, preview: HeardPreview | null = null) => {
    setHeard(preview);
    onSaved(bulletin);
  };
  return (
    <section class="card compose-step" aria-labelledby="compose-step-bulletin">
      <h2 id="compose-step-bulletin">{t('compose.step.bulletin')}</h2>
      {saved ? (
        <ComposeSaved
          bulletin={saved}
          heard={heard}
          onNew={() => {
            setRound(round + 1);
            onSaved(null);
          }}
        />
      ) : (
        <div key={round}>
          <fieldset class="compose-source">
            <legend>{t('compose.source.legend')}</legend>
            {SOURCES.map((value) => (
              <label key={value} class={source === value ? 'compose-source-choice selected' : 'compose-source-choice'}>
                <input type="radio" name="compose-source" value={value} checked={source === value} data-testid={`compose-source-${value}`} onChange={() => setSource(value)} />
                {t(`compose.source.${value}`)}
              </label>
            ))}
          </fieldset>
          <div hidden={source !== 'text'}>
            <ComposeText voices={voices} onSaved={savedWith} />
          </div>
          <div hidden={source !== 'upload'}>
            <ComposeUpload onSaved={savedWith} />
          </div>
          <div hidden={source !== 'record'}>
            <ComposeRecorder active={source === 'record'} maxSeconds={voices?.limits?.uploadMaxSeconds} onSaved={savedWith} />
          </div>
        </div>
      )}
    </section>
  );
}
