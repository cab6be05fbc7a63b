import type { Keyv } from 'keyv';
import { z } from 'zod';
import { isModelUnavailable } from '../kie/index.js';
import type { Logger } from '../logger.js';
import { parseOrRetire } from '../store/retire.js';
import { typicalCredits } from './describe-model.js';
import type { ModelEntry } from './model.js';
import type { ModelRegistry } from './registry.js';

const KEY_PREFIX = 'model-unavailable:';
const DEFAULT_UNAVAILABLE_FOR_MS = 30 * 60_000;
const DEFAULT_CACHE_MS = 10_000;
const MAX_REASON = 300;

const unavailableMarkSchema = z.object({
  until: z.number().int().nonnegative(),
  markedAt: z.number().int().nonnegative(),
  /** Kie's message, for `/animate-setup status`. */
  reason: z.string().max(MAX_REASON).optional(),
});
export type UnavailableMark = z.infer<typeof unavailableMarkSchema>;

export interface ModelAvailabilityOptions {
  /** Shared by every shard, so one shard's discovery spares the others a failed call. */
  keyv: Keyv;
  registry: ModelRegistry;
  logger: Logger;
  /** How long a model stays unavailable once Kie said so. Default 30 minutes. */
  unavailableForMs?: number;
  /** How long a read is trusted before asking the store again (other shards may write). Default 10 s. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Remembers, for a while, the models Kie said it cannot run (unknown, paused, withdrawn), so the
 * next members are told before any credits or time are spent, and suggests models to switch to.
 */
export class ModelAvailability {
  readonly #keyv: Keyv;
  readonly #registry: ModelRegistry;
  readonly #logger: Logger;
  readonly #unavailableForMs: number;
  readonly #cacheMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { mark: UnavailableMark | undefined; readAt: number }>();

  constructor(options: ModelAvailabilityOptions) {
    this.#keyv = options.keyv;
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#unavailableForMs = options.unavailableForMs ?? DEFAULT_UNAVAILABLE_FOR_MS;
    this.#cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Marks the model unavailable from now for the configured time; answers until when. */
  async markUnavailable(modelId: string, reason?: string): Promise<number> {
    const now = this.#now();
    const mark: UnavailableMark = { until: now + this.#unavailableForMs, markedAt: now };
    if (reason) mark.reason = reason.slice(0, MAX_REASON);
    await this.#keyv.set(KEY_PREFIX + modelId, mark, this.#unavailableForMs);
    this.#cache.set(modelId, { mark, readAt: now });
    this.#logger.warn({ model: modelId, until: mark.until, reason: mark.reason }, 'model marked unavailable');
    return mark.until;
  }

  /**
   * Marks the model when `error` is Kie saying the model cannot be used (`isModelUnavailable`);
   * answers whether it did.
   */
  async noteFailure(error: unknown, modelId: string, _apiKey?: string, _guildId?: string): Promise<boolean> {
    if (!isModelUnavailable(error, modelId)) return false;
    const detail =
      typeof error === 'object' && error !== null && 'detail' in error ? error.detail : undefined;
    await this.markUnavailable(modelId, typeof detail === 'string' ? detail : undefined);
    return true;
  }

  /** Forgets a mark, e.g. when an admin wants to try the model again. */
  async markAvailable(modelId: string): Promise<void> {
    await this.#keyv.delete(KEY_PREFIX + modelId);
    this.#cache.set(modelId, { mark: undefined, readAt: this.#now() });
  }

  /** The mark in force, with Kie's reason; undefined when the model is available. */
  async unavailableMark(modelId: string, _apiKey?: string): Promise<UnavailableMark | undefined> {
    const now = this.#now();
    const cached = this.#cache.get(modelId);
    let mark: UnavailableMark | undefined;
    if (cached && now - cached.readAt < this.#cacheMs) {
      mark = cached.mark;
    } else {
      const key = KEY_PREFIX + modelId;
      mark = await parseOrRetire(
        this.#keyv,
        key,
        await this.#keyv.get(key),
        unavailableMarkSchema,
        this.#logger,
      );
      this.#cache.set(modelId, { mark, readAt: now });
    }
    return mark && mark.until > now ? mark : undefined;
  }

  /** Until when (ms epoch) the model is held unavailable; undefined when it is available. */
  async unavailableUntil(modelId: string): Promise<number | undefined> {
    return (await this.unavailableMark(modelId))?.until;
  }

  async isAvailable(modelId: string, _apiKey?: string): Promise<boolean> {
    return (await this.unavailableMark(modelId)) === undefined;
  }

  /**
   * Other registry entries that are available, closest first: another family (siblings tend to
   * be withdrawn together), then the same aspect handling and the model's default duration, then
   * the cheapest job of that length, then registry order.
   */
  async alternatives(
    modelId: string,
    _apiKey?: string,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<ModelEntry[]> {
    const origin = this.#registry.get(modelId);
    const entries = this.#registry.list();
    const candidates: ModelEntry[] = [];
    for (const entry of entries) {
      if (entry.id !== modelId && (await this.isAvailable(entry.id))) candidates.push(entry);
    }
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
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    // Infinity - Infinity is NaN: two unknown prices rank the same.
    if (diff !== 0 && !Number.isNaN(diff)) return diff;
  }
  return 0;
}
