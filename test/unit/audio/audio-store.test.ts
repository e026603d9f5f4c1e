import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AudioStore } from '../../../server/audio/audio-store.js';
import { sha256OfBuffer, sha256OfFile } from '../../../server/audio/sha256.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: { path: string; remove(): Promise<void> };
let store: AudioStore;

beforeEach(async () => {
  temp = await makeTempDir('audio-store');
  store = new AudioStore(path.join(temp.path, 'audio'));
});
afterEach(() => temp.remove());

async function source(name: string, content: string): Promise<string> {
  const file = path.join(temp.path, name);
  await writeFile(file, content);
  return file;
}

describe('sha256', () => {
  it('hashes files and buffers alike', async () => {
    const file = await source('a.bin', 'xin chào');
    expect(await sha256OfFile(file)).toBe(sha256OfBuffer(Buffer.from('xin chào')));
    expect(sha256OfBuffer('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('AudioStore', () => {
  it('files content under its sha256 and consumes the source', async () => {
    const file = await source('speech.mp3', 'fake mp3 bytes');
    const stored = await store.put(file, { mime: 'audio/mpeg', extension: 'mp3' });
    expect(stored.sha256).toBe(sha256OfBuffer('fake mp3 bytes'));
    expect(stored.path).toBe(path.join(store.dir, `${stored.sha256}.mp3`));
    expect(stored.bytes).toBe(14);
    expect(await readFile(stored.path, 'utf8')).toBe('fake mp3 bytes');
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.locate(stored.sha256)).toEqual({ path: stored.path, bytes: 14, mime: 'audio/mpeg' });
    expect(await store.has(stored.sha256)).toBe(true);
  });

  it('is idempotent: the same content twice is one file', async () => {
    const first = await store.put(await source('one.ogg', 'same'), { mime: 'audio/ogg', extension: 'ogg' });
    const second = await store.put(await source('two.ogg', 'same'), { mime: 'audio/ogg', extension: 'ogg' });
    expect(second).toEqual(first);
    expect(await readdir(store.dir)).toEqual([`${first.sha256}.ogg`]);
  });

  it('knows nothing of unknown or malformed hashes', async () => {
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.locate('../../etc/passwd')).toBeNull();
    expect(await store.locate('A'.repeat(64))).toBeNull();
  });

  it('refuses kinds of file it cannot serve', async () => {
    await expect(store.put(await source('x.txt', 'text'), { mime: 'text/plain', extension: 'txt' })).rejects.toThrow(/not text\/plain/);
    await expect(store.put(await source('x.mp3', 'x'), { mime: 'audio/ogg', extension: 'mp3' })).rejects.toThrow();
  });
});
