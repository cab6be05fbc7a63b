import { createHash } from 'node:crypto';
import type { Keyv } from 'keyv';
import { z } from 'zod';
import type { JobStore } from '../jobs/job-store.js';
import type { GuildSettings } from '../settings/settings-store.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import { UserFacingError } from '../user-facing-error.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Same image and prompt from the same member within this window counts as a double click. */
const DEDUPE_WINDOW_MS = 60_000;

/** Who asks: enough for the checks that need no image. */
export interface MemberRequest {
  guildId: string;
  userId: string;
  memberRoleIds: readonly string[];
}

export interface GuardInput extends MemberRequest {
  prompt: string;
  imageBytes: Uint8Array;
}

/** How a place that was held is given back. */
export interface ReleaseOptions {
  /**
   * Kie looked at the request and refused it (a validation error): the member's cooldown stays
   * spent, so rejected requests cannot be looped for free; the day's count is given back.
   */
  keepCooldown?: boolean;
}

/** A place held for one job: committed once Kie took the task, released if it never got there. */
export interface Reservation {
  commit(): Promise<void>;
  release(options?: ReleaseOptions): Promise<void>;
}

const countSchema = z.number().int().nonnegative().optional().catch(undefined);

/**
 * The server's limits, checked before any call that spends credits. `check` reads them before
 * anything is downloaded; `reserve` checks again and holds a place, under one per-guild lock, so
 * two quick commands cannot both slip under a limit.
 */
export class Guardrails {
  readonly #keyv: Keyv;
  readonly #jobs: JobStore;
  readonly #now: () => number;
  readonly #lock = new KeyedMutex();
  /** Jobs past the checks but not yet recorded as pending, per guild (absent: none). */
  readonly #inFlight = new Map<string, number>();

  constructor(keyv: Keyv, jobs: JobStore, now: () => number = Date.now) {
    this.#keyv = keyv;
    this.#jobs = jobs;
    this.#now = now;
  }

  /** The role check, cheap and first: it needs no download. */
  checkRole(settings: GuildSettings, memberRoleIds: readonly string[]): void {
    const role = settings.limits.allowedRoleId;
    if (role && !memberRoleIds.includes(role))
      throw new UserFacingError('limits.notAllowed', { role: `<@&${role}>` });
  }

  /**
   * Every limit that needs no image, read only: a member over a limit is told before the bot
   * downloads anything. `reserve` checks them again, as they may change meanwhile.
   */
  async check(settings: GuildSettings, request: MemberRequest): Promise<void> {
    this.checkRole(settings, request.memberRoleIds);
    await this.#checkCounts(settings, request, this.#now());
  }

  reserve(settings: GuildSettings, input: GuardInput): Promise<Reservation> {
    return this.#lock.run(input.guildId, async () => {
      this.checkRole(settings, input.memberRoleIds);
      const now = this.#now();
      const { last, used, keys } = await this.#checkCounts(settings, input, now);
      const dedupeKey = `dedupe:${keys.member}:${fingerprint(input)}`;
      if (await this.#keyv.get(dedupeKey)) throw new UserFacingError('limits.duplicate');

      const cooldownTtl = Math.max(1, settings.limits.cooldownSeconds) * 1000;
      // Held now, so a second command in the same breath sees them.
      await this.#keyv.set(dedupeKey, now, DEDUPE_WINDOW_MS);
      await this.#keyv.set(keys.last, now, cooldownTtl);
      await this.#keyv.set(keys.usage, used + 1, 2 * DAY_MS);
      this.#adjustInFlight(input.guildId, +1);

      let settled = false;
      const settle = () => {
        if (settled) return false;
        settled = true;
        this.#adjustInFlight(input.guildId, -1);
        return true;
      };
      return {
        commit: async () => {
          settle();
        },
        release: async (options: ReleaseOptions = {}) => {
          if (!settle()) return;
          // Nothing was spent: give the member their turn back.
          await this.#lock.run(input.guildId, async () => {
            await this.#keyv.delete(dedupeKey);
            if (!options.keepCooldown) {
              if (last === undefined) await this.#keyv.delete(keys.last);
              else await this.#keyv.set(keys.last, last, cooldownTtl);
            }
            const current = countSchema.parse(await this.#keyv.get(keys.usage)) ?? 1;
            await this.#keyv.set(keys.usage, Math.max(0, current - 1), 2 * DAY_MS);
          });
        },
      };
    });
  }

  /** Jobs at once, cooldown and the day's count; answers what a reservation needs to know. */
  async #checkCounts(settings: GuildSettings, request: MemberRequest, now: number) {
    const { limits } = settings;
    const running =
      (await this.#jobs.listActive(request.guildId)).length + (this.#inFlight.get(request.guildId) ?? 0);
    if (running >= limits.maxRunning) throw new UserFacingError('limits.serverBusy', { running });

    const member = `${request.guildId}:${request.userId}`;
    const keys = { member, last: `last-job:${member}`, usage: '' };
    const last = countSchema.parse(await this.#keyv.get(keys.last));
    if (limits.cooldownSeconds > 0 && last !== undefined && now - last < limits.cooldownSeconds * 1000) {
      throw new UserFacingError('limits.cooldown', { when: relative(last + limits.cooldownSeconds * 1000) });
    }

    const day = new Date(now).toISOString().slice(0, 10);
    keys.usage = `usage:${member}:${day}`;
    const used = countSchema.parse(await this.#keyv.get(keys.usage)) ?? 0;
    if (limits.perMemberPerDay !== null && used >= limits.perMemberPerDay) {
      throw new UserFacingError('limits.daily', {
        count: used,
        when: relative(Date.parse(`${day}T00:00:00Z`) + DAY_MS),
      });
    }
    return { last, used, keys };
  }

  #adjustInFlight(guildId: string, delta: number): void {
    const count = Math.max(0, (this.#inFlight.get(guildId) ?? 0) + delta);
    if (count === 0) this.#inFlight.delete(guildId);
    else this.#inFlight.set(guildId, count);
  }
}

function fingerprint(input: GuardInput): string {
  return createHash('sha256')
    .update(input.imageBytes)
    .update('\0')
    .update(input.prompt)
    .digest('hex')
    .slice(0, 32);
}

function relative(atMs: number): string {
  return `<t:${Math.ceil(atMs / 1000)}:R>`;
}
