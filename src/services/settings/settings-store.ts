import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SealedBox } from '../crypto/sealed-box.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { parseOrRetire } from '../store/retire.js';

const sealedSecretSchema = z.object({
  sealed: z.string(),
  /** Last four characters, for masked display only. */
  suffix: z.string().max(4),
  setAt: z.number().int(),
  setBy: z.string(),
});

/**
 * Where the server's audit log goes (issue 16), and the last time Discord refused a post there
 * (403/404): remembered for /animate-setup status, so posting is not retried in a loop.
 */
export const logChannelSchema = z.object({
  channelId: z.string().regex(/^\d{15,21}$/),
  setBy: z.string(),
  setAt: z.number().int(),
  refused: z
    .object({ status: z.number().int(), code: z.number().int().nullable(), at: z.number().int() })
    .nullable()
    .default(null),
});
export type LogChannel = z.infer<typeof logChannelSchema>;

export const guildSettingsSchema = z.object({
  kieKey: sealedSecretSchema.nullable().default(null),
  /** Kie signs callbacks per account; room for that account's webhook HMAC key. */
  webhookHmacKey: sealedSecretSchema.nullable().default(null),
  model: z.string().nullable().default(null),
  defaults: z
    .object({
      aspectRatio: z.enum(['portrait', 'landscape']).nullable().default(null),
      durationSeconds: z.number().int().positive().nullable().default(null),
      removeWatermark: z.boolean().nullable().default(null),
    })
    .default({ aspectRatio: null, durationSeconds: null, removeWatermark: null }),
  limits: z
    .object({
      maxRunning: z.number().int().min(1).max(100).default(5),
      perMemberPerDay: z.number().int().min(1).max(1000).nullable().default(10),
      cooldownSeconds: z.number().int().min(0).max(86_400).default(30),
      allowedRoleId: z.string().nullable().default(null),
      /** Ask the member to confirm a job whose estimated cost is above this many credits; null: never. */
      confirmAboveCredits: z.number().int().min(1).nullable().default(null),
    })
    .default({
      maxRunning: 5,
      perMemberPerDay: 10,
      cooldownSeconds: 30,
      allowedRoleId: null,
      confirmAboveCredits: null,
    }),
  /** The monthly budget (budget/budget-ledger.ts): credits per period, which starts on `resetDay` (UTC). */
  budget: z
    .object({
      credits: z.number().int().min(1).nullable().default(null),
      resetDay: z.number().int().min(1).max(28).default(1),
    })
    .default({ credits: null, resetDay: 1 }),
  /**
   * Words and phrases a prompt may not use (moderation/blocklist.ts); caps are enforced when added,
   * not here, so a record is never retired for them.
   */
  blocklist: z.array(z.string()).default([]),
  /** The Kie balance around the server's latest finished job, and what Kie said it charged. */
  lastJobCredits: z
    .object({
      jobId: z.string(),
      before: z.number(),
      after: z.number(),
      consumed: z.number().nullable().default(null),
      at: z.number(),
    })
    .nullable()
    .default(null),
  /** The audit log channel; null: none. */
  logChannel: logChannelSchema.nullable().default(null),
  updatedAt: z.number().int().default(0),
});
export type GuildSettings = z.infer<typeof guildSettingsSchema>;

const settingsKey = (guildId: string) => `settings:${guildId}`;
const kieKeyContext = (guildId: string) => `kie-key:${guildId}`;
const hmacKeyContext = (guildId: string) => `webhook-hmac:${guildId}`;

/** Per-guild settings; the Kie key is sealed under the guild's id and never stored in plaintext. */
export class SettingsStore {
  readonly #keyv: Keyv;
  readonly #box: SealedBox;
  readonly #logger: Logger;
  readonly #lock = new KeyedMutex();

  constructor(keyv: Keyv, box: SealedBox, logger: Logger) {
    this.#keyv = keyv;
    this.#box = box;
    this.#logger = logger;
  }

  async get(guildId: string): Promise<GuildSettings> {
    const key = settingsKey(guildId);
    const stored = await parseOrRetire(
      this.#keyv,
      key,
      await this.#keyv.get(key),
      guildSettingsSchema,
      this.#logger,
    );
    return stored ?? guildSettingsSchema.parse({});
  }

  /** Read-modify-write under a per-guild lock. */
  update(guildId: string, change: (current: GuildSettings) => GuildSettings): Promise<GuildSettings> {
    return this.#lock.run(guildId, async () => {
      const next = guildSettingsSchema.parse({ ...change(await this.get(guildId)), updatedAt: Date.now() });
      await this.#keyv.set(settingsKey(guildId), next);
      return next;
    });
  }

  setKieKey(guildId: string, apiKey: string, setBy: string): Promise<GuildSettings> {
    const kieKey = {
      sealed: this.sealKieKey(guildId, apiKey),
      suffix: apiKey.slice(-4),
      setAt: Date.now(),
      setBy,
    };
    return this.update(guildId, (current) => ({ ...current, kieKey }));
  }

  removeKieKey(guildId: string): Promise<GuildSettings> {
    return this.update(guildId, (current) => ({ ...current, kieKey: null }));
  }

  /** The guild's Kie key in plaintext, for a request about to be made; undefined when none is set. */
  async openKieKey(guildId: string): Promise<string | undefined> {
    const { kieKey } = await this.get(guildId);
    return kieKey ? this.#box.open(kieKey.sealed, kieKeyContext(guildId)) : undefined;
  }

  /** Kie's per-account webhook HMAC key, with which it signs callbacks; null clears it. */
  setWebhookHmacKey(guildId: string, hmacKey: string | null, setBy: string): Promise<GuildSettings> {
    const webhookHmacKey = hmacKey
      ? {
          sealed: this.#box.seal(hmacKey, hmacKeyContext(guildId)),
          suffix: hmacKey.slice(-4),
          setAt: Date.now(),
          setBy,
        }
      : null;
    return this.update(guildId, (current) => ({ ...current, webhookHmacKey }));
  }

  async openWebhookHmacKey(guildId: string): Promise<string | undefined> {
    const { webhookHmacKey } = await this.get(guildId);
    return webhookHmacKey ? this.#box.open(webhookHmacKey.sealed, hmacKeyContext(guildId)) : undefined;
  }

  sealKieKey(guildId: string, apiKey: string): string {
    return this.#box.seal(apiKey, kieKeyContext(guildId));
  }

  openSealedKieKey(guildId: string, sealed: string): string {
    return this.#box.open(sealed, kieKeyContext(guildId));
  }
}
