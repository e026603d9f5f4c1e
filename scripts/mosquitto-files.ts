/**
 * `npm run mosquitto:files -- <out dir>`: writes Mosquitto's password file and ACL from the device
 * registry, for a deployment with MQTT_URL. Uses the same configuration as the server.
 */
import path from 'node:path';
import { createTopics } from '../protocol/index.js';
import { AreaService } from '../server/areas/area-service.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { DeviceRegistry } from '../server/devices/device-registry.js';
import { writeMosquittoFiles } from '../server/mqtt/mosquitto-files-writer.js';

const outDir = path.resolve(process.argv[2] ?? '.');
const config = loadConfig();
if (config.mqtt.mode !== 'external' || !config.mqtt.username || !config.mqtt.password) {
  console.error('Set MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD: the server account is written to the password file too.');
  process.exit(2);
}
const database = await openDatabase(config.database);
try {
  const registry = new DeviceRegistry(database.prisma, new AreaService(database.prisma));
  await registry.load();
  const files = await writeMosquittoFiles(outDir, createTopics(config.mqtt.topicRoot), await registry.mosquittoDevices(), {
    username: config.mqtt.username,
    password: config.mqtt.password,
  });
  console.log(`Wrote ${files.passwordFile} and ${files.aclFile}; send Mosquitto SIGHUP to reload them.`);
} finally {
  await database.close();
}
