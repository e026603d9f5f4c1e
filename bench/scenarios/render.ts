/**
 * Text to normalised audio for a bulletin of about a minute, through the API as an official's
 * request makes it: cold (a text never rendered: TTS, loudness normalisation, MP3 encoding) and
 * cached (the same text again: the render cache answers).
 */
import type { ApiClient } from '../../test/helpers/api-client.js';
import { distribution, type Distribution } from '../stats.js';
import { bulletinText } from './texts.js';

export interface RenderResult {
  readonly audioSeconds: number;
  readonly audioBytes: number;
  readonly coldMs: Distribution | null;
  readonly cachedMs: Distribution | null;
}

interface BulletinCreated {
  readonly audio: { readonly durationMs: number; readonly bytes?: number; readonly url: string };
}

async function render(api: ApiClient, text: string): Promise<{ ms: number; bulletin: BulletinCreated }> {
  const started = performance.now();
  const response = await api.post<BulletinCreated>('/api/bulletins', { title: 'Bản tin phòng chống thiên tai', text });
  const ms = performance.now() - started;
  if (response.status !== 201) throw new Error(`rendering failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { ms, bulletin: response.body };
}

export async function runRender(api: ApiClient, options: { seconds: number; coldRuns: number; cachedRuns: number; runId: number }): Promise<RenderResult> {
  const cold: number[] = [];
  let first: BulletinCreated | undefined;
  for (let run = 0; run < options.coldRuns; run++) {
    const { ms, bulletin } = await render(api, bulletinText(options.seconds, options.runId * 100 + run + 1));
    cold.push(ms);
    first ??= bulletin;
  }
  const cached: number[] = [];
  for (let run = 0; run < options.cachedRuns; run++) cached.push((await render(api, bulletinText(options.seconds, options.runId * 100 + 1))).ms);
  const head = await fetch(new URL(first!.audio.url, api.baseUrl), { method: 'HEAD' });
  return {
    audioSeconds: Math.round(first!.audio.durationMs / 100) / 10,
    audioBytes: Number(head.headers.get('content-length') ?? 0),
    coldMs: distribution(cold),
    cachedMs: distribution(cached),
  };
}
