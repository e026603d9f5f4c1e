/** Builds the player named by AGENT_PLAYER; `auto` prefers ffplay, then aplay (+ ffmpeg). */
import type { Clock } from '../clock.js';
import type { PlayerSpec } from '../config.js';
import { AplayPlayer } from './aplay-player.js';
import { FfplayPlayer } from './ffplay-player.js';
import { FilePlayer } from './file-player.js';
import type { Player } from './player.js';
import { findOnPath, PlayerError } from './process-playback.js';

export async function createPlayer(spec: PlayerSpec, clock: Clock, envPath = process.env.PATH ?? ''): Promise<Player> {
  switch (spec.kind) {
    case 'file':
      return new FilePlayer(spec.path, clock);
    case 'ffplay':
      return new FfplayPlayer((await findOnPath('ffplay', envPath)) ?? 'ffplay');
    case 'aplay':
      return new AplayPlayer(spec.device, await ffmpegPath(envPath), (await findOnPath('aplay', envPath)) ?? 'aplay');
    case 'auto': {
      const ffplay = await findOnPath('ffplay', envPath);
      if (ffplay) return new FfplayPlayer(ffplay);
      const aplay = await findOnPath('aplay', envPath);
      if (aplay) return new AplayPlayer(undefined, await ffmpegPath(envPath), aplay);
      throw new PlayerError(
        'AGENT_PLAYER=auto found neither ffplay nor aplay on PATH: install ffmpeg (for ffplay) or alsa-utils, or set AGENT_PLAYER=file:<path> to record plays without sound',
      );
    }
  }
}

/** ffmpeg from PATH, else the bundled @ffmpeg-installer binary. */
async function ffmpegPath(envPath: string): Promise<string> {
  const onPath = await findOnPath('ffmpeg', envPath);
  if (onPath) return onPath;
  try {
    const installer = (await import('@ffmpeg-installer/ffmpeg')) as { default?: { path?: string }; path?: string };
    const bundled = installer.default?.path ?? installer.path;
    if (bundled) return bundled;
  } catch {
    // not installed
  }
  throw new PlayerError('the aplay player needs ffmpeg to decode: install ffmpeg or put it on PATH');
}
