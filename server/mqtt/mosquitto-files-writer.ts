/** Writes the Mosquitto password and ACL files for the current registry (see docs/external-broker.md). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Topics } from '../../protocol/index.js';
import { mosquittoPasswordHash } from './credentials.js';
import { mosquittoAclFile, mosquittoPasswordFile, type MosquittoDevice } from './mosquitto-auth-files.js';

export interface MosquittoFiles {
  readonly passwordFile: string;
  readonly aclFile: string;
}

export async function writeMosquittoFiles(
  outDir: string,
  topics: Topics,
  devices: readonly MosquittoDevice[],
  server: { readonly username: string; readonly password: string },
): Promise<MosquittoFiles> {
  await mkdir(outDir, { recursive: true });
  const passwordFile = path.join(outDir, 'commune-broadcast.passwd');
  const aclFile = path.join(outDir, 'commune-broadcast.acl');
  const serverAccount = { username: server.username, mosquittoHash: mosquittoPasswordHash(server.password) };
  await writeFile(passwordFile, mosquittoPasswordFile(devices, serverAccount), { mode: 0o600 });
  await writeFile(aclFile, mosquittoAclFile(topics, devices, server.username), { mode: 0o600 });
  return { passwordFile, aclFile };
}
