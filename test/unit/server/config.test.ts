import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';

describe('config', () => {
  it('has working defaults: embedded PGlite and broker, port 8080 and 1883', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.mqtt).toMatchObject({ mode: 'embedded', port: 1883, topicRoot: 'loa' });
    expect(config.database.kind).toBe('pglite');
    expect(config.tts.provider).toBe('espeak');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('switches to PostgreSQL and an external broker from URLs', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/x', MQTT_URL: 'mqtt://broker:1883', PUBLIC_URL: 'https://loa.example.vn/' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://u@db:5432/x' });
    expect(config.mqtt).toMatchObject({ mode: 'external', url: 'mqtt://broker:1883' });
    expect(config.publicUrl).toBe('https://loa.example.vn');
  });

  it.each([
    ['HTTP_PORT', 'eighty'],
    ['MQTT_PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['MQTT_URL', 'http://broker'],
    ['TTS_PROVIDER', 'festival'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'not a url'],
  ])('names %s when its value is invalid', (variable, value) => {
    try {
      loadConfig({ [variable]: value });
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.variable).toBe(variable);
      expect((error as Error).message).toContain(variable);
    }
  });

  it('requires ADMIN_PASSWORD in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_PASSWORD: 'a-long-secret' }).admin.password).toBe('a-long-secret');
  });
});
