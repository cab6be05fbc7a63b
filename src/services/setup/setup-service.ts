import type { Logger } from 'pino';
import { isKieError, type KieClient, maskKey } from '../kie/index.js';
import type { ActiveJobs } from '../limits/guardrails.js';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';

export interface SavedKey {
  masked: string;
  credits: number;
}

/** What became of a webhook key the admin typed; `used` is false when this bot takes no callbacks. */
export interface SavedWebhookKey {
  masked: string;
  used: boolean;
}

/** Bounds for Kie's webhook HMAC key: Kie does not document its form, and offers no call to check it. */
export const WEBHOOK_KEY_MIN = 16;
export const WEBHOOK_KEY_MAX = 256;

export interface SetupStatus {
  settings: GuildSettings;
  masked: string | null;
  /** The webhook HMAC key, masked, or null when none is set. */
  webhookKey: string | null;
  /** Whether this bot takes Kie callbacks (PUBLIC_URL set); without them a webhook key is unused. */
  callbacksEnabled: boolean;
  /** Live balance, or why it could not be read. */
  credits: { ok: true; value: number } | { ok: false; detail: string } | null;
  running: number;
}

/** What the admin commands do, apart from Discord: checking and storing keys, reading status. */
export class SetupService {
  readonly #settings: SettingsStore;
  readonly #jobs: ActiveJobs;
  readonly #kie: KieClient;
  readonly #logger: Logger;
  readonly #callbacksEnabled: boolean;

  constructor(
    settings: SettingsStore,
    jobs: ActiveJobs,
    kie: KieClient,
    logger: Logger,
    options: { callbacksEnabled?: boolean } = {},
  ) {
    this.#settings = settings;
    this.#jobs = jobs;
    this.#kie = kie;
    this.#logger = logger;
    this.#callbacksEnabled = options.callbacksEnabled ?? false;
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

  /**
   * Stores Kie's webhook HMAC key sealed under the guild (Kie has no call to check it, so only its
   * form is checked). From then on the guild's callbacks are accepted only when signed with it.
   */
  async saveWebhookKey(guildId: string, rawKey: string, setBy: string): Promise<SavedWebhookKey> {
    const hmacKey = rawKey.trim();
    if (hmacKey.length === 0) throw new UserFacingError('setup.webhookKey.empty');
    if (hmacKey.length < WEBHOOK_KEY_MIN || hmacKey.length > WEBHOOK_KEY_MAX) {
      throw new UserFacingError('setup.webhookKey.length', { min: WEBHOOK_KEY_MIN, max: WEBHOOK_KEY_MAX });
    }
    // Visible ASCII only: a space, line break or look-alike letter means a bad paste, not a key.
    if (!/^[\x21-\x7e]+$/.test(hmacKey)) throw new UserFacingError('setup.webhookKey.characters');
    // The API key pasted by mistake would make every genuine callback fail its check.
    const apiKey = await this.#settings.openKieKey(guildId).catch(() => undefined);
    if (apiKey !== undefined && apiKey === hmacKey) throw new UserFacingError('setup.webhookKey.isApiKey');
    const saved = await this.#settings.setWebhookHmacKey(guildId, hmacKey, setBy);
    this.#logger.info({ guildId, setBy, callbacks: this.#callbacksEnabled }, 'Kie webhook key stored');
    return { masked: maskSuffix(saved.webhookHmacKey?.suffix ?? ''), used: this.#callbacksEnabled };
  }

  /** Forgets the webhook key; resolves false when there was none. */
  async removeWebhookKey(guildId: string, setBy: string): Promise<boolean> {
    const { webhookHmacKey } = await this.#settings.get(guildId);
    if (!webhookHmacKey) return false;
    await this.#settings.setWebhookHmacKey(guildId, null, setBy);
    this.#logger.info({ guildId, setBy }, 'Kie webhook key removed');
    return true;
  }

  async status(guildId: string): Promise<SetupStatus> {
    const settings = await this.#settings.get(guildId);
    const running = (await this.#jobs.listActive(guildId)).length;
    const base = {
      settings,
      running,
      webhookKey: settings.webhookHmacKey ? maskSuffix(settings.webhookHmacKey.suffix) : null,
      callbacksEnabled: this.#callbacksEnabled,
    };
    if (!settings.kieKey) return { ...base, masked: null, credits: null };
    const masked = maskSuffix(settings.kieKey.suffix);
    try {
      const apiKey = await this.#settings.openKieKey(guildId);
      const value = apiKey ? await this.#kie.getCredits(apiKey) : 0;
      return { ...base, masked, credits: { ok: true, value } };
    } catch (error) {
      if (isKieError(error) && error.kind === 'insufficient-credits') {
        return { ...base, masked, credits: { ok: true, value: 0 } };
      }
      const detail = isKieError(error) ? error.kind : 'unreadable';
      return { ...base, masked, credits: { ok: false, detail } };
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
