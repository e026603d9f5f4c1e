/**
 * What the agent must remember across restarts, in one JSON file written atomically: the volume,
 * the last config (area path, server URL, heartbeat), the newest schedule manifest's version and the
 * command ids it listed, and the ids of commands already handled, with the plays not finished yet,
 * so a restart followed by a redelivery (persistent session, retained manifest) neither plays twice,
 * nor forgets a play, nor plays one the manifest cancelled.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { deviceConfigSchema, playCommandSchema, type DeviceConfig, type PlayCommand } from '../protocol/index.js';
import { writeFileAtomic } from './atomic-file.js';

/** `preempted`: started, cut off by a higher priority, waiting to restart from the beginning. */
export type CommandStatus = 'pending' | 'started' | 'preempted' | 'done';

const commandRecordSchema = z.object({
  status: z.enum(['pending', 'started', 'preempted', 'done']),
  /** After this (plus the retention) the id is forgotten. */
  expiresAt: z.number(),
  /** Kept until the play is done, to put it back on the timeline after a restart. */
  play: playCommandSchema.optional(),
});
export type CommandRecord = z.infer<typeof commandRecordSchema>;

const stateSchema = z.object({
  volume: z.number().int().min(0).max(100).nullable().default(null),
  config: deviceConfigSchema.nullable().default(null),
  manifestVersion: z.number().nullable().default(null),
  /** Command ids listed by that manifest; null when unknown (a state file from before they were kept). */
  manifestPlays: z.array(z.string()).nullable().default(null),
  commands: z.record(z.string(), commandRecordSchema).default({}),
});
type StateData = z.infer<typeof stateSchema>;

/** How long a handled id is remembered after its command expired (redeliveries come much sooner). */
const RETENTION_MS = 7 * 24 * 3600_000;
const MAX_RECORDS = 10_000;

export class DeviceState {
  private data: StateData = { volume: null, config: null, manifestVersion: null, manifestPlays: null, commands: {} };
  private dirty = false;
  private saving: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return; // first start
    }
    try {
      const parsed = stateSchema.safeParse(JSON.parse(text));
      if (parsed.success) this.data = parsed.data;
      else this.logger.warn({ file: this.file, reason: parsed.error.message }, 'ignoring an invalid state file');
    } catch {
      this.logger.warn({ file: this.file }, 'ignoring an unreadable state file');
    }
  }

  get volume(): number | null {
    return this.data.volume;
  }

  setVolume(volume: number): void {
    this.data.volume = volume;
  }

  get config(): DeviceConfig | null {
    return this.data.config;
  }

  setConfig(config: DeviceConfig): void {
    this.data.config = config;
  }

  get manifestVersion(): number | null {
    return this.data.manifestVersion;
  }

  /** Command ids the newest manifest listed; null before one was applied. */
  get manifestPlays(): readonly string[] | null {
    return this.data.manifestPlays;
  }

  setManifest(version: number, commandIds: readonly string[]): void {
    this.data.manifestVersion = version;
    this.data.manifestPlays = [...commandIds];
  }

  hasCommand(commandId: string): boolean {
    return Object.hasOwn(this.data.commands, commandId);
  }

  statusOf(commandId: string): CommandStatus | undefined {
    return this.data.commands[commandId]?.status;
  }

  recordCommand(commandId: string, record: CommandRecord): void {
    this.data.commands[commandId] = record;
  }

  /** Moves a command on (pending → started ⇄ preempted → done); `done` drops the kept play. */
  setStatus(commandId: string, status: CommandStatus): void {
    const record = this.data.commands[commandId];
    if (!record) return;
    this.data.commands[commandId] = status === 'done' ? { status, expiresAt: record.expiresAt } : { ...record, status };
  }

  /** Plays handled but not finished, oldest start first. */
  unfinishedPlays(): { play: PlayCommand; status: Exclude<CommandStatus, 'done'> }[] {
    const result: { play: PlayCommand; status: Exclude<CommandStatus, 'done'> }[] = [];
    for (const record of Object.values(this.data.commands)) {
      if (record.play && record.status !== 'done') result.push({ play: record.play, status: record.status });
    }
    return result.sort((a, b) => a.play.startAt - b.play.startAt);
  }

  /** Forgets ids long past their expiry, and the oldest ones beyond the cap. */
  prune(now: number): void {
    const entries = Object.entries(this.data.commands).filter(
      ([, record]) => record.status !== 'done' || record.expiresAt + RETENTION_MS > now,
    );
    entries.sort((a, b) => a[1].expiresAt - b[1].expiresAt);
    this.data.commands = Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_RECORDS)));
  }

  /** Writes the state; resolves once a write that includes every change made so far is on disk. */
  save(): Promise<void> {
    this.dirty = true;
    this.saving ??= this.flush();
    return this.saving;
  }

  private async flush(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await writeFileAtomic(this.file, JSON.stringify(this.data));
      }
    } finally {
      // Cleared in the same turn as the last dirty check, so a save() after it starts a new flush.
      this.saving = undefined;
    }
  }
}
