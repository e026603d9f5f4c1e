/**
 * Hostile uploads against the real server and real ffmpeg: files that are not audio, have no
 * audio stream or last too long are refused with an error naming `file`, and a client's file name
 * never becomes a path on the server.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../../server/audio/ffmpeg-runner.js';
import { ApiClient } from '../../helpers/api-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const UPLOAD_MAX_SECONDS = 5;

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: { field?: string; message: string }[];
}

describe('audio uploads', () => {
  let server: TestServer;
  let api: ApiClient;
  let token: string;
  let fixtures: Awaited<ReturnType<typeof makeTempDir>>;
  const files = {} as Record<'speech' | 'long' | 'picture' | 'silentVideo', Buffer>;

  beforeAll(async () => {
    server = await startTestServer({ env: { UPLOAD_MAX_SECONDS: String(UPLOAD_MAX_SECONDS) } });
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    token = (await api.post<{ token: string }>('/api/auth/login', TEST_ADMIN)).body.token;
    fixtures = await makeTempDir('cb-upload-fixtures');
    const make = async (name: string, input: string, configure: Parameters<typeof runFfmpeg>[1]) => {
      const file = path.join(fixtures.path, name);
      await runFfmpeg(input, (command) => configure(command.inputFormat('lavfi')).output(file));
      return readFile(file);
    };
    files.speech = await make('speech.mp3', 'sine=frequency=440:duration=2', (c) => c.audioCodec('libmp3lame'));
    files.long = await make('long.mp3', `sine=frequency=440:duration=${UPLOAD_MAX_SECONDS * 3}`, (c) => c.audioCodec('libmp3lame'));
    files.picture = await make('picture.png', 'testsrc=size=64x64:rate=1', (c) => c.frames(1));
    files.silentVideo = await make('video.mp4', 'testsrc=size=64x64:rate=5:duration=2', (c) => c.noAudio());
  });
  afterAll(async () => {
    await server?.close();
    await fixtures?.remove();
  });

  /** Sends the multipart body byte for byte, so the file name reaches the server exactly as written. */
  async function upload(filename: string, content: Buffer, title = 'Ghi âm'): Promise<{ status: number; body: unknown }> {
    const boundary = `----cb${createHash('sha1').update(filename).digest('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: audio/mpeg\r\n\r\n`, 'utf8'),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await fetch(`${server.url}/api/bulletins`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  const expectFileError = (response: { status: number; body: unknown }, status: number, code: string) => {
    expect(response.status).toBe(status);
    const body = response.body as ErrorBody;
    expect(body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
    expect(body.details.map((d) => d.field)).toEqual(['file']);
    return body;
  };

  const bulletinCount = () => server.database.prisma.bulletin.count();

  it('refuses a picture renamed .mp3 and a video without sound with a 415 naming the file', async () => {
    const before = await bulletinCount();
    const picture = expectFileError(await upload('poster.mp3', files.picture), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(picture.message).toBe('"poster.mp3" contains no audio stream');
    const video = expectFileError(await upload('clip.m4a', files.silentVideo), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(video.message).toBe('"clip.m4a" contains no audio stream');
    expectFileError(await upload('noise.mp3', Buffer.alloc(4096, 0x5a)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectFileError(await upload('empty.mp3', Buffer.alloc(0)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await bulletinCount()).toBe(before);
  });

  // That the refusal comes before normalisation is shown in test/integration/audio/audio-renderer.test.ts.
  it(`refuses a recording longer than UPLOAD_MAX_SECONDS (${UPLOAD_MAX_SECONDS} s) with a 422 naming the file`, async () => {
    const before = await bulletinCount();
    const body = expectFileError(await upload('họp-thôn.mp3', files.long), 422, 'AUDIO_TOO_LONG');
    expect(body.message).toBe(`"họp-thôn.mp3" lasts ${UPLOAD_MAX_SECONDS * 3} s, longer than the limit of ${UPLOAD_MAX_SECONDS} s`);
    expect(body.details[0]?.message).toBe(`longer than the limit of ${UPLOAD_MAX_SECONDS} s`);
    expect(await bulletinCount()).toBe(before);
    // Within the limit it is accepted.
    expect((await upload('ngắn.mp3', files.speech)).status).toBe(201);
  });

  it('never uses the client\'s file name as a path: traversal, NUL, control characters, very long names', async () => {
    const passwdBefore = existsSync('/etc/passwd') ? await readFile('/etc/passwd') : undefined;
    const hostileNames = [
      '../../etc/passwd.mp3',
      '../../../../../../../../etc/passwd.mp3',
      '/etc/passwd.mp3',
      '..\\..\\windows\\win.ini.mp3',
      'a\u0000b.mp3',
      'ghi\u0000.mp3\u0000.exe',
      'line\r\nbreak.mp3',
      `${'x'.repeat(5_000)}.mp3`,
      '.mp3',
    ];
    for (const name of hostileNames) {
      const response = await upload(name, files.speech);
      expect(response.status, name.slice(0, 80)).toBeLessThan(500);
      if (response.status !== 201) {
        expect((response.body as ErrorBody).details.map((d) => d.field)).toContain('file');
      }
    }
    const uploadDir = path.join(server.dataDir, 'tmp', 'uploads');
    for (const name of hostileNames) expect(existsSync(path.resolve(uploadDir, name)), name.slice(0, 80)).toBe(false);
    const leaked = (await listFiles(server.dataDir)).filter((file) => /passwd|win\.ini|xxxxxxxxxx|break|\u0000/.test(path.basename(file)));
    expect(leaked).toEqual([]);
    // Stored uploads are removed once normalised; nothing of the client's names stays behind.
    expect(await listFiles(path.join(server.dataDir, 'tmp'))).toEqual([]);
    if (passwdBefore) expect(await readFile('/etc/passwd')).toEqual(passwdBefore);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}
