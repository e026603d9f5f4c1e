import { randomBytes, randomUUID } from 'node:crypto';

/** Device ids are typed by installers into a receiver's config, so they are short. */
export const newDeviceId = (): string => `rx-${randomBytes(5).toString('hex')}`;
export const newId = (): string => randomUUID();
