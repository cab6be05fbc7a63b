import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isModelUnavailable, keyId } from '../kie/index.js';
import { typicalCredits } from './describe-model.js';
import { isWithdrawn, type ModelEntry } from './model.js';
import type { ModelCatalog } from './model-catalog.js';
import type { ModelRegistry } from './registry.js';
import { SharedRecords } from './shared-records.js';

const KEY_MARK = 'model-mark:key:';
const GLOBAL_MARK = 'model-mark:global:';
const REPORTS = 'model-reports:';
const RETRY = 'model-retry:';
const DEFAULT_UNAVAILABLE_FOR_MS = 30 * 60_000;
const DEFAULT_CACHE_MS = 10_000;
/** Servers, with distinct keys, whose refusals within the window make a global mark. */
const GLOBAL_AFTER = 2;
const MAX_REASON = 300;
const MAX_REPORTS = 20;

const markSchema = z.object({
  until: z.number().int().nonnegative(),
  markedAt: z.number().int().nonnegative(),
  /** Kie's message, for `/animate-setup status`. */
  reason: z.string().max(MAX_REASON).optional(),
});
type StoredMark = z.infer<typeof markSchema>;

/** Which keys said a model is unavailable lately: a global mark needs two servers' keys. */
const reportsSchema = z.object({
  reports: z
    .array(
      z.object({
        guildId: z.string().min(1).max(32),
        keyId: z.string().min(1).max(64),
        at: z.number().int().nonnegative(),
      }),
    )
    .max(MAX_REPORTS * 2),
});

/** An admin's "try it again": marks made before `at` no longer hold for this key. */
const retrySchema = z.object({ at: z.number().int().nonnegative() });

/**
 * Why a model is held unavailable for a key: Kie refused it for this key (`key`), for the keys of
 * several servers (`global`), or the key's model catalog no longer lists it (`catalog`).
 */
export type UnavailableScope = 'key' | 'global' | 'catalog';

export interface UnavailableMark {
  scope: UnavailableScope;
  /** ms epoch; for `catalog`, when the key's catalog is read again. */
  until: number;
  markedAt: number;
  /** Kie's message, when it gave one. */
  reason?: string;
}

export interface ModelAvailabilityOptions {
  /** Shared by every shard, so one shard's discovery spares the others a failed call. */
  keyv: Keyv;
  registry: ModelRegistry;
  logger: Logger;
  /** Kie's model catalog per key; without it only Kie's refusals count. */
  catalog?: ModelCatalog;
  /** How long a model stays unavailable once Kie said so. Default 30 minutes. */
  unavailableForMs?: number;
  /** How long a read is trusted before asking the store again (other shards may write). Default 10 s. */
  cacheMs?: number;
  now?: () => number;
}

type ModelState = { keyMark?: StoredMark; globalMark?: StoredMark; retry?: { at: number } };

/**
 * Remembers, per Kie key, the models Kie said it cannot run (unknown, paused, withdrawn) and those
 * the key's catalog no longer lists, so the next members are told before any credits or time are
 * spent, and suggests models to switch to. One server's refusal never stops another server's key,
 * unless the keys of several servers agree (a global mark). Keys appear only as `keyId` hashes.
 */
export class ModelAvailability {
  readonly #records: SharedRecords;
  readonly #registry: ModelRegistry;
  readonly #logger: Logger;
  readonly #catalog: ModelCatalog | undefined;
  readonly #unavailableForMs: number;
  readonly #now: () => number;

  constructor(options: ModelAvailabilityOptions) {
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#catalog = options.catalog;
    this.#unavailableForMs = options.unavailableForMs ?? DEFAULT_UNAVAILABLE_FOR_MS;
    this.#now = options.now ?? Date.now;
    this.#records = new SharedRecords(
      options.keyv,
      options.logger,
      options.cacheMs ?? DEFAULT_CACHE_MS,
      this.#now,
    );
  }

  async isAvailable(modelId: string, apiKey: string): Promise<boolean> {
    return (await this.unavailableMark(modelId, apiKey)) === undefined;
  }

  /** The mark in force for this key, most specific first; undefined when the model is available. */
  async unavailableMark(modelId: string, apiKey: string): Promise<UnavailableMark | undefined> {
    const [mark] = await this.#marks([modelId], apiKey);
    return mark;
  }

  /** Every registry model with its mark for this key (undefined: available), in registry order. */
  async availabilityOf(
    apiKey: string,
  ): Promise<Array<{ entry: ModelEntry; mark: UnavailableMark | undefined }>> {
    const entries = this.#registry.list();
    const marks = await this.#marks(
      entries.map((entry) => entry.id),
      apiKey,
    );
    return entries.map((entry, index) => ({ entry, mark: marks[index] }));
  }

  /**
   * Marks the model for this key when `error` is Kie saying the model cannot be used
   * (`isModelUnavailable`), and globally once the keys of two servers said so
   * within `unavailableForMs`; answers whether it marked.
   */
  async noteFailure(error: unknown, modelId: string, apiKey: string, guildId: string): Promise<boolean> {
    if (!isModelUnavailable(error, modelId)) return false;
    const detail =
      typeof error === 'object' && error !== null && 'detail' in error ? error.detail : undefined;
    await this.markUnavailable(modelId, apiKey, guildId, typeof detail === 'string' ? detail : undefined);
    return true;
  }

  /** Marks the model unavailable for this key from now, and globally when servers agree. */
  async markUnavailable(
    modelId: string,
    apiKey: string,
    guildId: string,
    reason?: string,
  ): Promise<UnavailableMark> {
    const now = this.#now();
    const id = keyId(apiKey);
    const mark: StoredMark = { until: now + this.#unavailableForMs, markedAt: now };
    if (reason) mark.reason = reason.slice(0, MAX_REASON);
    await this.#records.write(`${KEY_MARK}${id}:${modelId}`, mark, this.#unavailableForMs);
    await this.#records.forget(`${RETRY}${id}:${modelId}`);
    this.#logger.warn(
      { model: modelId, keyId: id.slice(0, 8), guildId, until: mark.until, reason: mark.reason },
      'model marked unavailable for a key',
    );
    // Read past the cache: another shard may have added a report a moment ago.
    const reportsKey = REPORTS + modelId;
    const stored = await this.#records.readFresh(reportsKey, reportsSchema);
    const reports = (stored?.reports ?? [])
      .filter((r) => r.at > now - this.#unavailableForMs && !(r.guildId === guildId && r.keyId === id))
      .concat({ guildId, keyId: id, at: now })
      .slice(-MAX_REPORTS);
    await this.#records.write(reportsKey, { reports }, this.#unavailableForMs);
    // One key shared by two servers is still one Kie account's answer. (With two servers and two
    // keys among the reports, two of them always differ in both.)
    const guilds = new Set(reports.map((r) => r.guildId)).size;
    const keys = new Set(reports.map((r) => r.keyId)).size;
    if (guilds >= GLOBAL_AFTER && keys >= GLOBAL_AFTER) {
      await this.#records.write(GLOBAL_MARK + modelId, mark, this.#unavailableForMs);
      this.#logger.warn(
        { model: modelId, guilds, keys, until: mark.until },
        'model marked unavailable for all keys',
      );
    }
    return { scope: 'key', ...mark };
  }

  /**
   * Kie ran the model for this key: its mark and any global mark go (a success proves Kie still
   * runs the model), so other keys may try it again.
   */
  async noteSuccess(modelId: string, apiKey: string): Promise<void> {
    const id = keyId(apiKey);
    const { keyMark, globalMark } = (await this.#states([modelId], id)).get(modelId) ?? {};
    if (keyMark) await this.#records.forget(`${KEY_MARK}${id}:${modelId}`);
    if (globalMark) {
      await this.#records.forget(GLOBAL_MARK + modelId);
      await this.#records.forget(REPORTS + modelId);
      this.#logger.info({ model: modelId, keyId: id.slice(0, 8) }, 'model ran again; global mark lifted');
    }
  }

  /**
   * An admin's "try it again" for this key: its own mark goes, and global and catalog marks made
   * before now stop holding for it (until they are made again: a new refusal or catalog read).
   */
  async markAvailable(modelId: string, apiKey: string): Promise<void> {
    const id = keyId(apiKey);
    await this.#records.forget(`${KEY_MARK}${id}:${modelId}`);
    const ttl = Math.max(this.#unavailableForMs, this.#catalog?.refreshMs ?? 0);
    await this.#records.write(`${RETRY}${id}:${modelId}`, { at: this.#now() }, ttl);
  }

  /** Reads the key's catalog from Kie now (no-op without a catalog). Never throws. */
  async refreshCatalog(apiKey: string): Promise<void> {
    await this.#catalog?.refresh(apiKey).catch((error: unknown) => this.#catalogFailed(error));
  }

  /**
   * Other registry entries available for this key, closest first: another family (siblings tend
   * to be withdrawn together), then the same aspect handling and the model's default duration,
   * then the cheapest job of that length, then registry order.
   */
  async alternatives(
    modelId: string,
    apiKey: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<ModelEntry[]> {
    const origin = this.#registry.get(modelId);
    const entries = this.#registry.list();
    const candidates = (await this.availabilityOf(apiKey))
      // A model Kie withdrew from its docs and prices is never suggested, even when not yet refused.
      .filter(({ entry, mark }) => entry.id !== modelId && mark === undefined && !isWithdrawn(entry))
      .map(({ entry }) => entry);
    const rank = (entry: ModelEntry) => {
      if (!origin) return [0, 0, typicalCredits(entry) ?? Number.POSITIVE_INFINITY];
      const sameFamily = (entry.family ?? entry.id) === (origin.family ?? origin.id) ? 1 : 0;
      const mismatches =
        (entry.aspect === origin.aspect ? 0 : 1) +
        (entry.durationsSeconds.includes(origin.defaultDurationSeconds) ? 0 : 1);
      const credits = typicalCredits(entry, origin.defaultDurationSeconds) ?? Number.POSITIVE_INFINITY;
      return [sameFamily, mismatches, credits];
    };
    const ranks = new Map(candidates.map((entry) => [entry, rank(entry)]));
    return candidates
      .sort(
        (a, b) =>
          compareRanks(ranks.get(a) ?? [], ranks.get(b) ?? []) || entries.indexOf(a) - entries.indexOf(b),
      )
      .slice(0, limit);
  }

  /** The mark in force for each model: this key's own, then its catalog's, then a global one. */
  async #marks(modelIds: string[], apiKey: string): Promise<Array<UnavailableMark | undefined>> {
    const now = this.#now();
    const states = await this.#states(modelIds, keyId(apiKey));
    const catalog = await this.#catalogState(apiKey);
    return modelIds.map((modelId) => {
      const { keyMark, globalMark, retry } = states.get(modelId) ?? {};
      const retriedSince = (at: number) => retry !== undefined && retry.at >= at;
      if (keyMark && keyMark.until > now) return { scope: 'key', ...keyMark };
      if (
        catalog?.kind === 'listed' &&
        catalog.missing.includes(modelId) &&
        !retriedSince(catalog.fetchedAt)
      ) {
        const until = catalog.fetchedAt + (this.#catalog?.refreshMs ?? 0);
        return { scope: 'catalog', markedAt: catalog.fetchedAt, until: Math.max(until, now) };
      }
      if (globalMark && globalMark.until > now && !retriedSince(globalMark.markedAt)) {
        return { scope: 'global', ...globalMark };
      }
      return undefined;
    });
  }

  /** The key's catalog; a key never read yet has it read in the background (this check goes on without). */
  async #catalogState(apiKey: string) {
    if (!this.#catalog) return undefined;
    const state = await this.#catalog.state(apiKey);
    if (state === undefined) {
      this.#catalog.refreshIfStale(apiKey).catch((error: unknown) => this.#catalogFailed(error));
    }
    return state;
  }

  /** Only the store can fail a catalog read (Kie's failures are "no catalog"): said, never thrown. */
  #catalogFailed(error: unknown): void {
    this.#logger.warn({ err: error }, 'model catalog could not be stored');
  }

  /** This key's marks and retries and the global marks of the models, in one store round trip. */
  async #states(modelIds: string[], id: string): Promise<Map<string, ModelState>> {
    const keys = modelIds.flatMap((modelId) => [
      `${KEY_MARK}${id}:${modelId}`,
      GLOBAL_MARK + modelId,
      `${RETRY}${id}:${modelId}`,
    ]);
    const schemas = [markSchema, markSchema, retrySchema] as const;
    const values = await this.#records.readMany(keys, (index) => schemas[index % 3] ?? markSchema);
    return new Map(
      modelIds.map((modelId, i) => [
        modelId,
        {
          keyMark: values[i * 3] as StoredMark | undefined,
          globalMark: values[i * 3 + 1] as StoredMark | undefined,
          retry: values[i * 3 + 2] as { at: number } | undefined,
        },
      ]),
    );
  }
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    // Infinity - Infinity is NaN: two unknown prices rank the same.
    if (diff !== 0 && !Number.isNaN(diff)) return diff;
  }
  return 0;
}
