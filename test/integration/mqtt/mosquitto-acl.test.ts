/**
 * The generated Mosquitto password file and ACL, loaded by a real Mosquitto process: receivers get
 * exactly the rights the embedded broker gives them.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics } from '../../../protocol/index.js';
import { generateSecretToken, mosquittoPasswordHash } from '../../../server/mqtt/credentials.js';
import { writeMosquittoFiles } from '../../../server/mqtt/mosquitto-files-writer.js';
import { mosquittoProcess, type MosquittoProcess } from '../../helpers/mosquitto-process.js';
import { refusal } from '../../helpers/mqtt-session.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const topics = createTopics('loa');
const tokens = { 'rx-a': generateSecretToken(), 'rx-b': generateSecretToken() };
const server = { username: 'server', password: 'server-secret' };

function connect(port: number, username: string, password: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: username, username, password, reconnectPeriod: 0, protocolVersion: 4 });
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
  });
}

function collect(client: MqttClient): { topic: string; payload: string }[] {
  const received: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
  return received;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('Mosquitto with the generated password file and ACL', () => {
  let mosquitto: MosquittoProcess;
  let port: number;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    dir = await makeTempDir('cb-mosquitto');
    const devices = [
      { deviceId: 'rx-a', areaPath: ['district-1', 'commune-1'], mosquittoHash: mosquittoPasswordHash(tokens['rx-a']) },
      { deviceId: 'rx-b', areaPath: ['district-1', 'commune-2'], mosquittoHash: mosquittoPasswordHash(tokens['rx-b']) },
    ];
    const files = await writeMosquittoFiles(dir.path, topics, devices, server);
    mosquitto = await mosquittoProcess({
      dir: dir.path,
      lines: ['allow_anonymous false', `password_file ${files.passwordFile}`, `acl_file ${files.aclFile}`],
    });
    port = mosquitto.port;
    await mosquitto.start();
  });

  afterAll(async () => {
    await mosquitto?.kill();
    await dir?.remove();
  });

  it('accepts a receiver with its token and refuses a wrong one', async () => {
    const client = await connect(port, 'rx-a', tokens['rx-a']);
    await client.endAsync();
    await expect(connect(port, 'rx-a', tokens['rx-b'])).rejects.toThrow(/Not authorized|Bad username or password/i);
  });

  it('refuses anonymous clients and unknown device ids', async () => {
    const url = `mqtt://127.0.0.1:${port}`;
    expect(await refusal(url, { clientId: 'listener' })).toMatch(/Not authorized|Bad username or password/i);
    expect(await refusal(url, { clientId: 'rx-z', username: 'rx-z', password: tokens['rx-a'] })).toMatch(/Not authorized|Bad username or password/i);
  });

  it('delivers nothing through wildcard subscriptions, and the receiver still gets its own command afterwards', async () => {
    const serverClient = await connect(port, server.username, server.password);
    const a = await connect(port, 'rx-a', tokens['rx-a']);
    const received = collect(a);
    await a.subscribeAsync(['#', 'loa/#', 'loa/device/+/command', 'loa/area/+/command'], { qos: 1 }).catch(() => undefined);
    for (const topic of [topics.device('rx-b', 'command'), topics.device('rx-b', 'config'), topics.areaCommand('commune-2')]) {
      await serverClient.publishAsync(topic, topic, { qos: 1 });
    }
    await settle();
    expect(received).toEqual([]);

    await a.subscribeAsync(topics.device('rx-a', 'command'), { qos: 1 });
    await serverClient.publishAsync(topics.device('rx-a', 'command'), 'still mine', { qos: 1 });
    await settle();
    expect(received).toEqual([{ topic: topics.device('rx-a', 'command'), payload: 'still mine' }]);
    await a.endAsync();
    await serverClient.endAsync();
  });

  it('delivers a receiver its own and its areas\' commands, never another receiver\'s', async () => {
    const serverClient = await connect(port, server.username, server.password);
    const a = await connect(port, 'rx-a', tokens['rx-a']);
    const received = collect(a);
    await a.subscribeAsync([topics.device('rx-a', 'command'), topics.areaCommand('district-1'), topics.device('rx-b', 'command'), topics.areaCommand('commune-2')], { qos: 1 });
    for (const topic of [topics.device('rx-a', 'command'), topics.areaCommand('district-1'), topics.device('rx-b', 'command'), topics.areaCommand('commune-2')]) {
      await serverClient.publishAsync(topic, topic, { qos: 1 });
    }
    await settle();
    expect(received.map((m) => m.topic).sort()).toEqual([topics.areaCommand('district-1'), topics.device('rx-a', 'command')].sort());
    await a.endAsync();
    await serverClient.endAsync();
  });

  it('lets the server receive a receiver\'s own events but not events forged for another', async () => {
    const serverClient = await connect(port, server.username, server.password);
    const received = collect(serverClient);
    await serverClient.subscribeAsync(topics.allDevices('event'), { qos: 1 });
    const a = await connect(port, 'rx-a', tokens['rx-a']);
    await a.publishAsync(topics.device('rx-a', 'event'), 'mine', { qos: 1 });
    await a.publishAsync(topics.device('rx-b', 'event'), 'forged', { qos: 1 });
    await settle();
    expect(received).toEqual([{ topic: topics.device('rx-a', 'event'), payload: 'mine' }]);
    // Nor commands forged for another receiver or an area.
    const b = await connect(port, 'rx-b', tokens['rx-b']);
    const toB = collect(b);
    await b.subscribeAsync([topics.device('rx-b', 'command'), topics.areaCommand('district-1')], { qos: 1 });
    await a.publishAsync(topics.device('rx-b', 'command'), 'forged', { qos: 1 });
    await a.publishAsync(topics.areaCommand('district-1'), 'forged', { qos: 1 });
    await settle();
    expect(toB).toEqual([]);
    await b.endAsync();
    await a.endAsync();
    await serverClient.endAsync();
  });
});
