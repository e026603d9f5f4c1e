/**
 * What a new receiver's agent is started with: the environment variables device-agent/config.ts
 * reads (AGENT_BROKER_URL, AGENT_DEVICE_ID, AGENT_TOKEN, …), written as one shell command that a
 * technician pastes on the board. The token goes in the environment, never as a flag, because a
 * flag is visible to every user of the board in `ps`.
 */

/** GET /api/devices/agent-setup. */
export interface AgentSetup {
  /** null when the server cannot tell which address receivers reach its broker at. */
  readonly brokerUrl: string | null;
  readonly topicRoot: string;
  readonly defaultTopicRoot: boolean;
}

export interface AgentCredentials {
  readonly id: string;
  readonly token: string;
}

/** Where the agent keeps its audio cache and outbox on a receiver, and how it plays (README "Setting up a real receiver"). */
export const AGENT_DATA_DIR = '/var/cache/loa';
export const AGENT_PLAYER = 'aplay:default';

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A value as one shell word: bare when nothing in it is special to the shell, else single-quoted. */
export function shellQuote(value: string): string {
  if (value !== '' && SHELL_SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The variables in the order a reader checks them. `brokerFallback` stands in for the broker URL
 * when the server cannot tell it (an external broker reached under another name, say).
 */
export function agentEnvironment(setup: AgentSetup, device: AgentCredentials, brokerFallback: string): [string, string][] {
  const env: [string, string][] = [
    ['AGENT_BROKER_URL', setup.brokerUrl ?? brokerFallback],
    ['AGENT_DEVICE_ID', device.id],
    ['AGENT_TOKEN', device.token],
  ];
  if (!setup.defaultTopicRoot) env.push(['AGENT_TOPIC_ROOT', setup.topicRoot]);
  env.push(['AGENT_DATA_DIR', AGENT_DATA_DIR], ['AGENT_PLAYER', AGENT_PLAYER]);
  return env;
}

/** The command, one variable a line (continued with `\`), ending with `npm run agent`. */
export function agentCommand(setup: AgentSetup, device: AgentCredentials, brokerFallback: string): string {
  const lines = agentEnvironment(setup, device, brokerFallback).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return [...lines, 'npm run agent'].join(' \\\n');
}

/** A TLS broker: the receiver may also need the certificate of a private authority (AGENT_CA_FILE). */
export function usesTls(setup: AgentSetup): boolean {
  return setup.brokerUrl !== null && /^(mqtts|wss):/.test(setup.brokerUrl);
}
