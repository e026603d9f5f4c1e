/**
 * Broker secrets: device tokens and the web UI's live-view passwords, both 256-bit random values.
 * Because they are high-entropy (not user-chosen passwords), a single SHA-256 is a sufficient
 * at-rest hash and keeps broker authentication cheap when thousands of receivers reconnect at once.
 */
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function verifySecretToken(token: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecretToken(token), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Mosquitto 2.x password-file hash (`$7$` = PBKDF2-SHA512), as written by `mosquitto_passwd`:
 * `$7$<iterations>$<base64 salt>$<base64 hash>`. Computed when the token is issued, because the
 * token itself is never stored.
 */
export function mosquittoPasswordHash(token: string, iterations = 101, salt = randomBytes(12)): string {
  const hash = pbkdf2Sync(token, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
