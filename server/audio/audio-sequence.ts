/**
 * Joins audio files end to end, with a pause between them, into one float WAV for the loudness
 * pass. Each file is decoded on its own and the samples are copied, not mixed, so the result lasts
 * exactly the sum of its parts and pauses; files are streamed, so long recordings are never held in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { runFfmpeg } from './ffmpeg-runner.js';
import { frameSize, readWavLayout, silencePcm, wavHeader, type PcmFormat, type WavLayout } from './wav-codec.js';

export interface JoinedAudio {
  readonly filePath: string;
  /** Each part as decoded, in order. */
  readonly partDurationsMs: readonly number[];
}

// ffmpeg's WAV header, with its optional LIST chunk, fits well within this.
const HEADER_READ_BYTES = 64 * 1024;

export async function joinAudioFiles(
  files: readonly string[],
  options: { readonly workDir: string; readonly sampleRateHz: number; readonly pauseMs: number },
): Promise<JoinedAudio> {
  if (files.length === 0) throw new Error('nothing to join');
  const decoded: { path: string; layout: WavLayout }[] = [];
  for (const [index, file] of files.entries()) {
    const decodedPath = path.join(options.workDir, `part-${index}.wav`);
    await runFfmpeg(file, (command) =>
      command
        .noVideo()
        .outputOptions(['-map', '0:a:0', '-map_metadata', '-1', '-fflags', '+bitexact'])
        .audioChannels(1)
        .audioFrequency(options.sampleRateHz)
        .audioCodec('pcm_f32le')
        .output(decodedPath),
    );
    decoded.push({ path: decodedPath, layout: await wavLayoutOf(decodedPath) });
  }
  const format = decoded[0]!.layout.format;
  const pause = silencePcm(format, options.pauseMs).samples;
  const dataBytes = decoded.reduce((sum, part) => sum + part.layout.dataBytes, 0) + pause.length * (decoded.length - 1);

  const filePath = path.join(options.workDir, 'joined.wav');
  const output = createWriteStream(filePath);
  try {
    await write(output, wavHeader(format, dataBytes));
    for (const [index, part] of decoded.entries()) {
      if (index > 0) await write(output, pause);
      if (part.layout.dataBytes === 0) continue;
      const end = part.layout.dataOffset + part.layout.dataBytes - 1;
      for await (const chunk of createReadStream(part.path, { start: part.layout.dataOffset, end })) await write(output, chunk as Buffer);
    }
  } catch (error) {
    output.destroy();
    throw error;
  }
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { filePath, partDurationsMs: decoded.map((part) => durationMsOf(part.layout.dataBytes, format)) };
}

async function wavLayoutOf(filePath: string): Promise<WavLayout> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(HEADER_READ_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return readWavLayout(head.subarray(0, bytesRead), (await stat(filePath)).size);
  } finally {
    await handle.close();
  }
}

function durationMsOf(dataBytes: number, format: PcmFormat): number {
  return Math.round((dataBytes / frameSize(format) / format.sampleRate) * 1000);
}

async function write(stream: NodeJS.WritableStream, data: Buffer): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}
