/**
 * Composition root of the device agent: config → logger → trust → clock → player → DeviceAgent; stops
 * cleanly on SIGTERM/SIGINT (availability `offline`, playback `interrupted`, events kept on disk).
 * Run: `npm run agent -- --broker-url mqtt://server:1883 --device-id <id> --token <token>`.
 */
import { pino } from 'pino';
import { DeviceAgent } from './agent.js';
import { SyncedClock, httpTimeFetcherUsing, localClock } from './clock.js';
import { ConfigError, parseAgentConfig, usage, type AgentConfig } from './config.js';
import { MqttTransport } from './connection.js';
import { createPlayer } from './player/create-player.js';
import type { Player } from './player/player.js';
import { createTrust } from './tls-trust.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  let config: AgentConfig;
  try {
    config = parseAgentConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\n${usage()}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = pino({
    level: config.logLevel,
    // Belt and braces: nothing logs the token, and if something ever did it would be censored.
    redact: { paths: ['token', 'password', '*.token', '*.password'], censor: '[redacted]' },
  });

  // The same trust for the broker link, clock sync and audio downloads.
  const trust = createTrust(config.caFile);
  const clock = new SyncedClock({
    fetchTime: httpTimeFetcherUsing(trust.fetch),
    logger: logger.child({ deviceId: config.deviceId }),
    serverUrl: config.serverUrl,
    localNow: localClock(config.clockSkewMs),
  });
  if (config.clockSkewMs !== 0) {
    logger.warn({ clockSkewMs: config.clockSkewMs }, 'simulated clock error: the local clock reads OS time + clockSkewMs (tests and simulation only)');
  }
  let player: Player;
  try {
    player = await createPlayer(config.player, clock);
  } catch (error) {
    logger.fatal({ reason: error instanceof Error ? error.message : String(error) }, 'no audio player');
    process.exit(2);
  }

  const agent = new DeviceAgent(
    {
      deviceId: config.deviceId,
      token: config.token,
      brokerUrl: config.brokerUrl,
      dataDir: config.dataDir,
      topicRoot: config.topicRoot,
      cacheMaxBytes: config.cacheMaxBytes,
      serverUrl: config.serverUrl,
    },
    {
      logger,
      player,
      clock,
      fetchAudio: trust.fetch,
      transportFactory: (params) => new MqttTransport({ ...params, ca: trust.ca }),
    },
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    agent.stop().then(
      () => {
        clock.stop();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await agent.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`device agent failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
