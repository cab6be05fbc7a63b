import { createHash } from 'node:crypto';
import type { Keyv } from 'keyv';
import { z } from 'zod';
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

/** A member's standing against the server's limits, as `check` would see it now. */
export interface MemberUsage {
  /** The member has the role the server requires (or none is required). */
  allowed: boolean;
  usedToday: number;
  /** The server's per-member daily limit; null: unlimited. */
  perDay: number | null;
  leftToday: number | null;
  /** When the day's count starts again (UTC midnight). */
  dayEndsAt: number;
  /** The server's wait between two jobs of one member (0: none). */
  cooldownSeconds: number;
  /** When the member may start the next job; null: now. */
  cooldownEndsAt: number | null;
  /** Jobs of the server in progress, those past the checks but not yet recorded included. */
  running: number;
  maxRunning: number;
}

const countSchema = z.number().int().nonnegative().optional().catch(undefined);

/** The server's unfinished jobs (the JobStore has them): only their number is read here. */
export interface ActiveJobs {
  listActive(guildId: string): Promise<readonly unknown[]>;
}

/**
 * The server's limits, checked before any call that spends credits. `check` reads them before
 * anything is downloaded; `reserve` checks again and holds a place, under one per-guild lock, so
 * two quick commands cannot both slip under a limit.
 */
export class Guardrails {
  readonly #keyv: Keyv;
  readonly #jobs: ActiveJobs;
  readonly #now: () => number;
  readonly #lock = new KeyedMutex();
  /** Jobs past the checks but not yet recorded as pending, per guild (absent: none). */
  readonly #inFlight = new Map<string, number>();

  constructor(keyv: Keyv, jobs: ActiveJobs, now: () => number = Date.now) {
    this.#keyv = keyv;
    this.#jobs = jobs;
    this.#now = now;
  }

  /**
   * Per-server entries this instance keeps in memory (places held, locks under way): none once
   * every reservation was committed or released, however many servers and members came.
   */
  get entriesInMemory(): number {
    return this.#inFlight.size + this.#lock.size;
  }

  /** The role check, cheap and first: it needs no download. */
  checkRole(settings: GuildSettings, memberRoleIds: readonly string[]): void {
    const role = settings.limits.allowedRoleId;
    if (role && !memberRoleIds.includes(role))
      throw new UserFacingError('limits.notAllowed', { role: `<@&${role}>` });
  }

  /**
   * Every limit that needs no image, read only: a member over a limit is told before the bot
   * downloads anything. `reserve` checks them again, as they may change meanwhile. `takes`: the
   * places one request needs (several takes), all or none.
   */
  async check(settings: GuildSettings, request: MemberRequest, takes = 1): Promise<void> {
    this.checkRole(settings, request.memberRoleIds);
    await this.#checkCounts(settings, request, this.#now(), takes);
  }

  async reserve(settings: GuildSettings, input: GuardInput): Promise<Reservation> {
    const [reservation] = await this.reserveTakes(settings, input, 1);
    if (!reservation) throw new Error('no reservation');
    return reservation;
  }

  /**
   * Holds `takes` places at once (one per take, each a job at once and one of the member's day),
   * or none: a member is never surprised by a request that got only part of its places. One
   * cooldown and one double-click guard cover them all, given back only when every place is.
   */
  reserveTakes(settings: GuildSettings, input: GuardInput, takes: number): Promise<Reservation[]> {
    return this.#lock.run(input.guildId, async () => {
      this.checkRole(settings, input.memberRoleIds);
      const now = this.#now();
      const { last, used, keys } = await this.#checkCounts(settings, input, now, takes);
      const dedupeKey = `dedupe:${keys.member}:${fingerprint(input)}`;
      if (await this.#keyv.get(dedupeKey)) throw new UserFacingError('limits.duplicate');

      const cooldownTtl = Math.max(1, settings.limits.cooldownSeconds) * 1000;
      // Held now, so a second command in the same breath sees them.
      await this.#keyv.set(dedupeKey, now, DEDUPE_WINDOW_MS);
      await this.#keyv.set(keys.last, now, cooldownTtl);
      await this.#keyv.set(keys.usage, used + takes, 2 * DAY_MS);
      this.#adjustInFlight(input.guildId, takes);

      // The cooldown and the guard are the request's: kept once any place was spent.
      const shared = { open: takes, spent: false, keepCooldown: false };
      const restoreShared = async () => {
        await this.#keyv.delete(dedupeKey);
        if (shared.keepCooldown) return;
        if (last === undefined) await this.#keyv.delete(keys.last);
        else await this.#keyv.set(keys.last, last, cooldownTtl);
      };
      return Array.from({ length: takes }, (): Reservation => {
        let settled = false;
        const settle = () => {
          if (settled) return false;
          settled = true;
          shared.open -= 1;
          this.#adjustInFlight(input.guildId, -1);
          return true;
        };
        return {
          commit: async () => {
            if (settle()) shared.spent = true;
          },
          release: async (options: ReleaseOptions = {}) => {
            if (!settle()) return;
            if (options.keepCooldown) shared.keepCooldown = true;
            // Nothing was spent on this place: give the member their turn back.
            await this.#lock.run(input.guildId, async () => {
              if (shared.open === 0 && !shared.spent) await restoreShared();
              const current = countSchema.parse(await this.#keyv.get(keys.usage)) ?? 1;
              await this.#keyv.set(keys.usage, Math.max(0, current - 1), 2 * DAY_MS);
            });
          },
        };
      });
    });
  }

  /**
   * What the limits see for this member now, read only (for /animate-quota): the same counts and
   * keys `check` and `reserve` use, so what the member is shown is what is enforced.
   */
  async usageOf(settings: GuildSettings, request: MemberRequest): Promise<MemberUsage> {
    const now = this.#now();
    const { limits } = settings;
    const { running, last, used, day } = await this.#read(request, now);
    const cooldownEnds = last === undefined ? null : last + limits.cooldownSeconds * 1000;
    return {
      allowed: !limits.allowedRoleId || request.memberRoleIds.includes(limits.allowedRoleId),
      usedToday: used,
      perDay: limits.perMemberPerDay,
      leftToday: limits.perMemberPerDay === null ? null : Math.max(0, limits.perMemberPerDay - used),
      dayEndsAt: Date.parse(`${day}T00:00:00Z`) + DAY_MS,
      cooldownSeconds: limits.cooldownSeconds,
      cooldownEndsAt:
        limits.cooldownSeconds > 0 && cooldownEnds !== null && cooldownEnds > now ? cooldownEnds : null,
      running,
      maxRunning: limits.maxRunning,
    };
  }

  /** The counts the limits are about, under the keys they are kept in. */
  async #read(request: MemberRequest, now: number) {
    const running =
      (await this.#jobs.listActive(request.guildId)).length + (this.#inFlight.get(request.guildId) ?? 0);
    const member = `${request.guildId}:${request.userId}`;
    const day = new Date(now).toISOString().slice(0, 10);
    const keys = { member, last: `last-job:${member}`, usage: `usage:${member}:${day}` };
    const last = countSchema.parse(await this.#keyv.get(keys.last));
    const used = countSchema.parse(await this.#keyv.get(keys.usage)) ?? 0;
    return { running, last, used, keys, day };
  }

  /** Jobs at once, cooldown and the day's count; answers what a reservation needs to know. */
  async #checkCounts(settings: GuildSettings, request: MemberRequest, now: number, takes: number) {
    const { limits } = settings;
    const { running, last, used, keys, day } = await this.#read(request, now);
    if (running + takes > limits.maxRunning) {
      // One place would have fitted: say that it is the number of takes that does not.
      if (takes > 1 && running < limits.maxRunning)
        throw new UserFacingError('takes.serverBusy', { takes, free: limits.maxRunning - running });
      throw new UserFacingError('limits.serverBusy', { running });
    }
    if (limits.cooldownSeconds > 0 && last !== undefined && now - last < limits.cooldownSeconds * 1000) {
      throw new UserFacingError('limits.cooldown', { when: relative(last + limits.cooldownSeconds * 1000) });
    }
    if (limits.perMemberPerDay !== null && used + takes > limits.perMemberPerDay) {
      if (takes > 1 && used < limits.perMemberPerDay)
        throw new UserFacingError('takes.daily', { takes, left: limits.perMemberPerDay - used });
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

/** A Discord relative time ("in 5 minutes"): the limits' refusals and /animate-quota show the same stamp. */
export function relative(atMs: number): string {
  return `<t:${Math.ceil(atMs / 1000)}:R>`;
}
