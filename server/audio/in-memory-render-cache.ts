/** A RenderCache in a Map: for tests and tools; the server keeps its cache in the database. */
import type { RenderCache, RenderedAudioRecord } from './audio-renderer.js';

export class InMemoryRenderCache implements RenderCache {
  private readonly entries = new Map<string, RenderedAudioRecord>();

  async get(key: string): Promise<RenderedAudioRecord | null> {
    return this.entries.get(key) ?? null;
  }

  async put(key: string, audio: RenderedAudioRecord): Promise<void> {
    this.entries.set(key, { ...audio });
  }

  get size(): number {
    return this.entries.size;
  }
}
