import type { JobStore } from '../jobs/job-store.js';
import { isKieError, type KieClient, maskKey } from '../kie/index.js';
import type { Logger } from '../logger.js';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';

export interface SavedKey {
  masked: string;
  credits: number;
}

export interface SetupStatus {
  settings: GuildSettings;
  masked: string | null;
  /** Live balance, or why it could not be read. */
  credits: { ok: true; value: number } | { ok: false; detail: string } | null;
  running: number;
}

/** What the admin commands do, apart from Discord: checking and storing keys, reading status. */
export class SetupService {
  readonly #settings: SettingsStore;
  readonly #jobs: JobStore;
  readonly #kie: KieClient;
  readonly #logger: Logger;

  constructor(settings: SettingsStore, jobs: JobStore, kie: KieClient, logger: Logger) {
    this.#settings = settings;
    this.#jobs = jobs;
    this.#kie = kie;
    this.#logger = logger;
  }

  /**
   * Checks a key against Kie's credit endpoint and stores it sealed only when Kie accepts it.
   * An account without credits is stored (the admin may top it up) and reported as 0.
   */
  async saveKey(guildId: string, rawKey: string, setBy: string): Promise<SavedKey> {
    const apiKey = rawKey.trim();
    if (apiKey.length === 0) throw new UserFacingError('setup.key.empty');
    let credits: number;
    try {
      credits = await this.#kie.getCredits(apiKey);
    } catch (error) {
      if (!isKieError(error)) throw error;
      if (error.kind === 'invalid-key') throw new UserFacingError('setup.key.invalid');
      if (error.kind !== 'insufficient-credits') {
        this.#logger.warn({ guildId, kind: error.kind }, 'could not check a Kie key; not stored');
        throw new UserFacingError('setup.key.unreachable', { detail: error.kind });
      }
      credits = 0;
    }
    await this.#settings.setKieKey(guildId, apiKey, setBy);
    this.#logger.info({ guildId, setBy, credits }, 'Kie key stored');
    return { masked: maskKey(apiKey), credits };
  }

  async removeKey(guildId: string): Promise<void> {
    await this.#settings.removeKieKey(guildId);
    this.#logger.info({ guildId }, 'Kie key removed');
  }

  async status(guildId: string): Promise<SetupStatus> {
    const settings = await this.#settings.get(guildId);
    const running = (await this.#jobs.listActive(guildId)).length;
    if (!settings.kieKey) return { settings, masked: null, credits: null, running };
    const masked = maskSuffix(settings.kieKey.suffix);
    try {
      const apiKey = await this.#settings.openKieKey(guildId);
      const value = apiKey ? await this.#kie.getCredits(apiKey) : 0;
      return { settings, masked, credits: { ok: true, value }, running };
    } catch (error) {
      if (isKieError(error) && error.kind === 'insufficient-credits') {
        return { settings, masked, credits: { ok: true, value: 0 }, running };
      }
      const detail = isKieError(error) ? error.kind : 'unreadable';
      return { settings, masked, credits: { ok: false, detail }, running };
    }
  }

  /** The masked form of the stored key, for confirmations. */
  async maskedKey(guildId: string): Promise<string | null> {
    const { kieKey } = await this.#settings.get(guildId);
    return kieKey ? maskSuffix(kieKey.suffix) : null;
  }
}

/** The stored suffix shown the way maskKey shows a whole key. */
function maskSuffix(suffix: string): string {
  return `••••${suffix}`;
}
