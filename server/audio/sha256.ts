/** SHA-256 as lowercase hex: the name of every stored audio file and part of every render cache key. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256OfBuffer(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
