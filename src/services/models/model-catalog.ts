import type { Keyv } from 'keyv';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isKieError, type KieModelCatalog, keyId } from '../kie/index.js';
import type { ModelRegistry } from './registry.js';
import { SharedRecords } from './shared-records.js';

const KEY_PREFIX = 'model-catalog:';
const DEFAULT_REFRESH_MS = 60 * 60_000;
const DEFAULT_CACHE_MS = 10_000;
const DEFAULT_CONCURRENCY = 2;

const catalogStateSchema = z.discriminatedUnion('kind', [
  z.object({
    /** Kie answered a usable list; `missing` are the registry models it does not name. */
    kind: z.literal('listed'),
    fetchedAt: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    missing: z.array(z.string().min(1).max(300)).max(1000),
  }),
  z.object({
    /** No catalog: 404, an error, or an answer that cannot prove a model absent. */
    kind: z.literal('none'),
    fetchedAt: z.number().int().nonnegative(),
    why: z.string().max(200),
  }),
]);
export type CatalogState = z.infer<typeof catalogStateSchema>;

/** What reads Kie's catalog: the KieClient. */
export interface CatalogSource {
  listModels(apiKey: string): Promise<KieModelCatalog>;
}

export interface ModelCatalogOptions {
  /** Shared by every shard: a key's catalog is read once for all of them. */
  keyv: Keyv;
  registry: ModelRegistry;
  source: CatalogSource;
  logger: Logger;
  /** How often a key's catalog is read again. Default 1 hour. */
  refreshMs?: number;
  /** How long a read of the store is trusted (other shards may write). Default 10 s. */
  cacheMs?: number;
  /** Keys read at once by a refresh round (each key is also limited to 1 catalog call per s). Default 2. */
  concurrency?: number;
  now?: () => number;
}

/**
 * Kie's model catalog per key (`GET /api/v1/models`, kie-models-2026-09.md §6.6, one source):
 * the registry models a key's catalog no longer lists are unavailable for that key before
 * anything is uploaded. Without a catalog (404, an error, an empty or partial list) nothing is
 * inferred and the createTask answer decides.
 */
export class ModelCatalog {
  readonly refreshMs: number;
  readonly #records: SharedRecords;
  readonly #registry: ModelRegistry;
  readonly #source: CatalogSource;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #inFlight = new Map<string, Promise<CatalogState>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: ModelCatalogOptions) {
    this.#registry = options.registry;
    this.#source = options.source;
    this.#logger = options.logger.child({ component: 'model-catalog' });
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
    this.#now = options.now ?? Date.now;
    this.#records = new SharedRecords(
      options.keyv,
      this.#logger,
      options.cacheMs ?? DEFAULT_CACHE_MS,
      this.#now,
    );
    this.#limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /** The key's last catalog read (this process's or another shard's); undefined when never read. */
  async state(apiKey: string): Promise<CatalogState | undefined> {
    return this.#records.read(KEY_PREFIX + keyId(apiKey), catalogStateSchema);
  }

  /**
   * Reads the key's catalog from Kie now and stores what it says. Never throws: any failure is
   * stored as "no catalog". Concurrent calls for one key share one request.
   */
  refresh(apiKey: string): Promise<CatalogState> {
    const id = keyId(apiKey);
    const running = this.#inFlight.get(id);
    if (running) return running;
    const work = this.#read(apiKey, id).finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, work);
    return work;
  }

  /** Refreshes unless the key's catalog was read less than `refreshMs` ago (here or by a shard). */
  async refreshIfStale(apiKey: string): Promise<void> {
    const state = await this.state(apiKey);
    if (state && this.#now() - state.fetchedAt < this.refreshMs) return;
    await this.refresh(apiKey);
  }

  /**
   * Reads the catalog of every key `listKeys` names now, then every `refreshMs`, skipping keys
   * read recently; keys are read a few at a time. For the composition root: `listKeys` answers
   * the Kie keys of the guilds this process serves.
   */
  start(listKeys: () => Promise<Iterable<string>>): void {
    this.#stopped = false;
    const round = async () => {
      try {
        const keys = new Map([...(await listKeys())].map((apiKey) => [keyId(apiKey), apiKey]));
        await Promise.all(
          [...keys.values()].map((apiKey) =>
            this.#limit(() => (this.#stopped ? undefined : this.refreshIfStale(apiKey))),
          ),
        );
        this.#logger.debug({ keys: keys.size }, 'model catalogs checked');
      } catch (error) {
        this.#logger.warn({ err: error }, 'model catalog round failed');
      }
      if (this.#stopped) return;
      this.#timer = setTimeout(() => void round(), this.refreshMs);
      this.#timer.unref();
    };
    void round();
  }

  /** Stops the rounds; a read under way finishes. */
  stop(): void {
    this.#stopped = true;
    this.#limit.clearQueue();
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #read(apiKey: string, id: string): Promise<CatalogState> {
    const fetchedAt = this.#now();
    let state: CatalogState;
    try {
      state = this.#interpret(await this.#source.listModels(apiKey), fetchedAt);
    } catch (error) {
      const why = isKieError(error) ? `${error.kind}${error.code ? ` ${error.code}` : ''}` : 'error';
      state = { kind: 'none', fetchedAt, why };
    }
    // Kept for three rounds, so a bot that stopped refreshing falls back to "no catalog".
    await this.#records.write(KEY_PREFIX + id, state, this.refreshMs * 3);
    const fields = { keyId: id.slice(0, 8), kind: state.kind };
    if (state.kind === 'listed')
      this.#logger.info({ ...fields, missing: state.missing }, 'model catalog read');
    else this.#logger.info({ ...fields, why: state.why }, 'no model catalog; Kie decides per task');
    return state;
  }

  /**
   * A catalog proves a model absent only when it is whole and about our kind of model: an empty
   * list (`total: 0`), one shorter than its `total`, or one naming none of the registry's models
   * cannot be told apart from a broken or filtered endpoint, and would switch every model off.
   */
  #interpret(catalog: KieModelCatalog, fetchedAt: number): CatalogState {
    if (catalog.models.length === 0) return { kind: 'none', fetchedAt, why: 'empty list' };
    if (catalog.total > catalog.models.length) return { kind: 'none', fetchedAt, why: 'partial list' };
    const listed = new Set<string>();
    for (const entry of catalog.models) {
      listed.add(entry.model.trim().toLowerCase());
      if (entry.slug) listed.add(entry.slug.trim().toLowerCase());
    }
    const ids = this.#registry.list().map((entry) => entry.id);
    const missing = ids.filter((id) => !listed.has(id.toLowerCase()));
    if (missing.length === ids.length) return { kind: 'none', fetchedAt, why: 'lists none of our models' };
    return { kind: 'listed', fetchedAt, total: catalog.total, missing };
  }
}
