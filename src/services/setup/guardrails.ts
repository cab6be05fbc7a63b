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

export interface GuardInput {
  guildId: string;
  userId: string;
  memberRoleIds: readonly string[];
  prompt: string;
  imageBytes: Uint8Array;
}

/** A place held for one job: committed once Kie took the task, released if it never got there. */
export interface Reservation {
  commit(): Promise<void>;
  release(): Promise<void>;
}

const countSchema = z.number().int().nonnegative();

/**
 * The server's limits, checked before any call that spends credits. Checks and the place they
 * hold happen under one per-guild lock, so two quick commands cannot both slip under a limit.
 */
export class Guardrails {
  readonly #keyv: Keyv;
  readonly #jobs: JobStore;
  readonly #now: () => number;
  readonly #lock = new KeyedMutex();
  /** Jobs past the checks but not yet recorded as pending, per guild. */
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

  reserve(settings: GuildSettings, input: GuardInput): Promise<Reservation> {
    return this.#lock.run(input.guildId, async () => {
      this.checkRole(settings, input.memberRoleIds);
      const { limits } = settings;
      const now = this.#now();
      const running =
        (await this.#jobs.listActive(input.guildId)).length + (this.#inFlight.get(input.guildId) ?? 0);
      if (running >= limits.maxRunning) throw new UserFacingError('limits.serverBusy', { running });

      const member = `${input.guildId}:${input.userId}`;
      const dedupeKey = `dedupe:${member}:${fingerprint(input)}`;
      if (await this.#keyv.get(dedupeKey)) throw new UserFacingError('limits.duplicate');

      const lastKey = `last-job:${member}`;
      const last = countSchema
        .optional()
        .catch(undefined)
        .parse(await this.#keyv.get(lastKey));
      if (limits.cooldownSeconds > 0 && last !== undefined && now - last < limits.cooldownSeconds * 1000) {
        throw new UserFacingError('limits.cooldown', {
          when: relative(last + limits.cooldownSeconds * 1000),
        });
      }

      const day = new Date(now).toISOString().slice(0, 10);
      const usageKey = `usage:${member}:${day}`;
      const used =
        countSchema
          .optional()
          .catch(undefined)
          .parse(await this.#keyv.get(usageKey)) ?? 0;
      if (limits.perMemberPerDay !== null && used >= limits.perMemberPerDay) {
        throw new UserFacingError('limits.daily', {
          count: used,
          when: relative(Date.parse(`${day}T00:00:00Z`) + DAY_MS),
        });
      }

      // Held now, so a second command in the same breath sees them.
      await this.#keyv.set(dedupeKey, now, DEDUPE_WINDOW_MS);
      await this.#keyv.set(lastKey, now, Math.max(1, limits.cooldownSeconds) * 1000);
      await this.#keyv.set(usageKey, used + 1, 2 * DAY_MS);
      this.#inFlight.set(input.guildId, (this.#inFlight.get(input.guildId) ?? 0) + 1);

      let settled = false;
      const leaveFlight = () => {
        if (settled) return false;
        settled = true;
        this.#inFlight.set(input.guildId, Math.max(0, (this.#inFlight.get(input.guildId) ?? 1) - 1));
        return true;
      };
      return {
        commit: async () => {
          leaveFlight();
        },
        release: async () => {
          if (!leaveFlight()) return;
          // Nothing was spent: give the member their turn back.
          await this.#lock.run(input.guildId, async () => {
            await this.#keyv.delete(dedupeKey);
            if (last === undefined) await this.#keyv.delete(lastKey);
            else await this.#keyv.set(lastKey, last, Math.max(1, limits.cooldownSeconds) * 1000);
            const current =
              countSchema
                .optional()
                .catch(undefined)
                .parse(await this.#keyv.get(usageKey)) ?? 1;
            await this.#keyv.set(usageKey, Math.max(0, current - 1), 2 * DAY_MS);
          });
        },
      };
    });
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
