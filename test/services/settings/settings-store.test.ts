import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv, sqliteFileOf } from '../../../src/services/store/open-keyv.js';
import { REDIS_URL, uniqueNamespace, useRedis } from '../../support/redis.js';

const logger = pino({ level: 'silent' });
const apiKey = `kie-${randomBytes(16).toString('hex')}`;
const guildId = '1100000000000000001';
const withRedis = await useRedis();

describe('SettingsStore', () => {
  it('starts every guild with no key and the default limits', async () => {
    const keyv = openKeyv('sqlite://:memory:');
    const settings = await new SettingsStore(keyv, new SealedBox(randomBytes(32)), logger).get(guildId);
    expect(settings.kieKey).toBeNull();
    expect(settings.limits).toEqual({
      maxRunning: 5,
      perMemberPerDay: 10,
      cooldownSeconds: 30,
      allowedRoleId: null,
      confirmAboveCredits: null,
    });
  });

  it('gives the key back only to the guild it was set for', async () => {
    const keyv = openKeyv('sqlite://:memory:');
    const store = new SettingsStore(keyv, new SealedBox(randomBytes(32)), logger);
    await store.setKieKey(guildId, apiKey, '1100000000000000009');
    expect(await store.openKieKey(guildId)).toBe(apiKey);
    expect((await store.get(guildId)).kieKey?.suffix).toBe(apiKey.slice(-4));
    expect(await store.openKieKey('1200000000000000001')).toBeUndefined();
    const sealed = (await store.get(guildId)).kieKey?.sealed ?? '';
    expect(() => store.openSealedKieKey('1200000000000000001', sealed)).toThrow();
  });

  it('never writes the key in plaintext to the SQLite file', async () => {
    const url = `sqlite://${await mkdtemp(path.join(tmpdir(), 'animate-settings-'))}/s.sqlite`;
    const keyv = openKeyv(url);
    await new SettingsStore(keyv, new SealedBox(randomBytes(32)), logger).setKieKey(guildId, apiKey, '1');
    await keyv.disconnect();
    const raw = new Database(sqliteFileOf(url), { readonly: true });
    const rows = raw.prepare('SELECT key, value FROM keyv').all() as Array<{ key: string; value: string }>;
    raw.close();
    expect(rows.some((row) => row.key.endsWith(`settings:${guildId}`))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect(JSON.stringify(rows)).not.toContain(Buffer.from(apiKey).toString('base64'));
  });

  it.runIf(withRedis)('never writes the key in plaintext to Redis', async () => {
    const namespace = uniqueNamespace();
    const keyv = openKeyv(REDIS_URL, { namespace });
    await new SettingsStore(keyv, new SealedBox(randomBytes(32)), logger).setKieKey(guildId, apiKey, '1');
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const keys = await client.keys(`${namespace}*`);
    const values = await Promise.all(keys.map((key) => client.get(key)));
    await keyv.clear();
    await client.close();
    await keyv.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    expect(values.join('\n')).toContain('"sealed"');
    expect(values.join('\n')).not.toContain(apiKey);
  });
});
