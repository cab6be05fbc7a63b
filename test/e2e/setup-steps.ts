import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { sqliteFileOf } from '../../src/services/store/open-keyv.js';
import type { World } from './harness.js';

/** What /animate-setup steps send and read in the Discord stand-in's REST log. */
export type Rest = World['discord']['log'][number];
export const callbackOf = (interaction: { id: string; token: string }) => (e: Rest) =>
  e.method === 'POST' && e.route === `/interactions/${interaction.id}/${interaction.token}/callback`;
export const editOf = (interaction: { token: string }) => (e: Rest) =>
  e.method === 'PATCH' && e.route.includes(interaction.token) && e.route.endsWith('/@original');
export const contentOf = (e: Rest) =>
  (e.json as { content?: string; data?: { content?: string } }).content ?? '';

/** Sends `/animate-setup <subcommand>` as the admin (Manage Server) or a plain member. */
export function setup(
  world: World,
  subcommand: string,
  user: 'admin' | 'user' = 'admin',
  options: unknown[] = [],
  resolved = {},
) {
  return world.discord.sendSlashCommand({
    name: 'animate-setup',
    user,
    options: [{ name: subcommand, type: 1, options }],
    resolved,
  });
}

/** Runs `/animate-setup webhook-key`, checks the modal, submits this key and returns the answer. */
export async function submitWebhookKey(world: World, key: string): Promise<string> {
  const command = setup(world, 'webhook-key');
  const modal = await world.discord.waitForRest(callbackOf(command));
  expect(modal.json).toMatchObject({
    type: 9,
    data: {
      custom_id: 'setup-webhook-key',
      components: [{ components: [{ custom_id: 'webhook-key', min_length: 16, max_length: 256 }] }],
    },
  });
  const submit = world.discord.sendModalSubmit({
    customId: 'setup-webhook-key',
    fields: { 'webhook-key': key },
    user: 'admin',
  });
  const answer = await world.discord.waitForRest(editOf(submit), 10_000);
  const deferred = await world.discord.waitForRest(callbackOf(submit));
  expect(deferred.json).toMatchObject({ type: 5, data: { flags: 64 } });
  return contentOf(answer);
}

/** `/animate-setup status` as the admin: the embed's fields by name. */
export async function statusFields(world: World): Promise<Record<string, string>> {
  const status = setup(world, 'status');
  const edit = await world.discord.waitForRest(editOf(status), 10_000);
  const fields =
    (edit.json as { embeds?: Array<{ fields?: Array<{ name: string; value: string }> }> }).embeds?.[0]
      ?.fields ?? [];
  return Object.fromEntries(fields.map((field) => [field.name, field.value]));
}

/** Everything the bot's store holds, as raw text (SQLite rows or Redis values). */
export async function rawStoreText(world: World): Promise<string> {
  if (world.env.STORE_URL.startsWith('sqlite://')) {
    const db = new Database(sqliteFileOf(world.env.STORE_URL), { readonly: true });
    const rows = db.prepare('SELECT key, value FROM keyv').all();
    db.close();
    return JSON.stringify(rows);
  }
  const client = createClient({ url: world.env.STORE_URL });
  await client.connect();
  const keys = await client.keys(`${world.env.STORE_NAMESPACE}*`);
  // Every key of the namespace, whatever its type (the Kie limiter's windows are sorted sets).
  const values = await Promise.all(
    keys.map(async (key) =>
      (await client.type(key)) === 'zset' ? client.zRange(key, 0, -1) : client.get(key),
    ),
  );
  await client.close();
  return JSON.stringify({ keys, values });
}

/** True when no log line, stderr or Discord payload of the run holds `secret`. */
export function leaksNowhere(world: World, secret: string): void {
  expect(JSON.stringify(world.bot.logs)).not.toContain(secret);
  expect(world.bot.stderr.join('')).not.toContain(secret);
  const toDiscord = world.discord.log.filter((e) => !e.route.startsWith('/cdn/'));
  expect(JSON.stringify(toDiscord.map((e) => e.json))).not.toContain(secret);
}
