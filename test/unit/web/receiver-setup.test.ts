/** The command that starts a new receiver's agent: what device-agent/config.ts reads, pasteable into a shell as is. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { agentCommand, agentEnvironment, shellQuote, usesTls, type AgentSetup } from '../../../server/web/src/lib/receiver-setup.js';

const SETUP: AgentSetup = { brokerUrl: 'mqtt://10.0.0.5:1883', topicRoot: 'loa', defaultTopicRoot: true };
const DEVICE = { id: 'dev_abc123', token: 'Zx9-_q0aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4' };

/** What a POSIX shell makes of the command: the environment the agent would start with. */
function environmentInShell(command: string): Record<string, string> {
  const printed = execFileSync('sh', ['-c', command.replace(/npm run agent$/, 'env')], { encoding: 'utf8', env: {} });
  return Object.fromEntries(
    printed
      .split('\n')
      .filter((line) => line.startsWith('AGENT_'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('the agent start command', () => {
  it('sets the broker, the id and the token, and where the agent keeps its data and plays', () => {
    const command = agentCommand(SETUP, DEVICE, 'mqtt://<server>:1883');
    expect(command.split(' \\\n')).toEqual([
      'AGENT_BROKER_URL=mqtt://10.0.0.5:1883',
      'AGENT_DEVICE_ID=dev_abc123',
      `AGENT_TOKEN=${DEVICE.token}`,
      'AGENT_DATA_DIR=/var/cache/loa',
      'AGENT_PLAYER=aplay:default',
      'npm run agent',
    ]);
    expect(environmentInShell(command)).toEqual({
      AGENT_BROKER_URL: 'mqtt://10.0.0.5:1883',
      AGENT_DEVICE_ID: 'dev_abc123',
      AGENT_TOKEN: DEVICE.token,
      AGENT_DATA_DIR: '/var/cache/loa',
      AGENT_PLAYER: 'aplay:default',
    });
  });

  it('names the topic root only when the server does not use the default one', () => {
    const names = (setup: AgentSetup) => agentEnvironment(setup, DEVICE, '').map(([name]) => name);
    expect(names(SETUP)).not.toContain('AGENT_TOPIC_ROOT');
    const custom = { ...SETUP, topicRoot: 'tinh-hb/loa', defaultTopicRoot: false };
    expect(agentEnvironment(custom, DEVICE, '')).toContainEqual(['AGENT_TOPIC_ROOT', 'tinh-hb/loa']);
  });

  it('stands a placeholder in for a broker the server cannot name, quoted so the shell keeps it whole', () => {
    const command = agentCommand({ ...SETUP, brokerUrl: null }, DEVICE, 'mqtt://<địa-chỉ-máy-chủ>:1883');
    expect(command).toContain(`AGENT_BROKER_URL='mqtt://<địa-chỉ-máy-chủ>:1883'`);
    expect(environmentInShell(command).AGENT_BROKER_URL).toBe('mqtt://<địa-chỉ-máy-chủ>:1883');
  });

  it('quotes only what the shell would otherwise change', () => {
    expect(shellQuote('mqtts://loa.example.vn:8883')).toBe('mqtts://loa.example.vn:8883');
    expect(shellQuote('')).toBe(`''`);
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote(`it's $HOME`)).toBe(`'it'\\''s $HOME'`);
    expect(environmentInShell(`AGENT_X=${shellQuote(`it's $HOME; rm -rf /`)} npm run agent`).AGENT_X).toBe(`it's $HOME; rm -rf /`);
  });

  it('tells an encrypted broker connection apart', () => {
    expect(usesTls(SETUP)).toBe(false);
    expect(usesTls({ ...SETUP, brokerUrl: 'mqtts://loa.example.vn:8883' })).toBe(true);
    expect(usesTls({ ...SETUP, brokerUrl: 'wss://loa.example.vn/mqtt' })).toBe(true);
    expect(usesTls({ ...SETUP, brokerUrl: null })).toBe(false);
  });
});
