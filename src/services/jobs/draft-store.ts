import { randomBytes } from 'node:crypto';
import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { imageKeySchema } from '../media/image-keeper.js';
import { parseOrRetire } from '../store/retire.js';
import { extendRequestSchema, jobImageSchema, jobOptionsSchema, MAX_TAKES } from './job-record.js';
import type { JobSource, ReplyContext } from './submit-job.js';

/** A draft waits this long for the member's Confirm. */
const DRAFT_TTL_MS = 15 * 60_000;

const draftSchema = z.object({
  guildId: z.string(),
  userId: z.string(),
  model: z.string(),
  options: jobOptionsSchema,
  imageUrl: z.url(),
  /** When `imageUrl` was put on Kie, and the image's kept copy (null in drafts of older versions). */
  imageUploadedAt: z.number().int().nonnegative().nullable().default(null),
  imageKey: imageKeySchema.nullable().default(null),
  /** The last frame the member gave, when the draft ends on one. */
  endImage: jobImageSchema.nullable().default(null),
  /** The job the draft was made from (Again, Remix), if any. */
  parentJobId: z.string().nullable().default(null),
  fallbackFrom: z.object({ model: z.string(), reason: z.string() }).nullable().default(null),
  /** The rest of the bot's default list, when the draft came from it. */
  fallbackModels: z.array(z.string()).default([]),
  /** What the member is asked to agree to; null when no price is known. */
  estimate: z.number().nullable().default(null),
  /** An extension of a finished video, when the draft is one. */
  extend: extendRequestSchema.nullable().default(null),
  /** How many takes the member asked for (the estimate covers them all). */
  takes: z.number().int().min(1).max(MAX_TAKES).default(1),
  parentReply: z.object({ channelId: z.string(), messageId: z.string() }).nullable().default(null),
});
export type Draft = z.infer<typeof draftSchema>;

/** What a confirmed draft makes its job from. */
export function sourceOfDraft(draft: Draft): JobSource {
  return {
    id: draft.parentJobId,
    model: draft.model,
    options: draft.options,
    imageUrl: draft.imageUrl,
    imageUploadedAt: draft.imageUploadedAt,
    imageKey: draft.imageKey,
    endImage: draft.endImage,
    fallbackFrom: draft.fallbackFrom,
    fallbackModels: draft.fallbackModels,
    extend: draft.extend,
    takes: draft.takes,
    parentReply: draft.parentReply,
  };
}

const draftKey = (guildId: string, draftId: string) => `draft:${guildId}:${draftId}`;

/** Jobs held back for the member to confirm their cost; nothing has been spent on them. */
export class DraftStore {
  readonly #keyv: Keyv;
  readonly #logger: Logger;

  constructor(keyv: Keyv, logger: Logger) {
    this.#keyv = keyv;
    this.#logger = logger;
  }

  async save(
    context: Pick<ReplyContext, 'guildId' | 'userId'>,
    source: JobSource,
    estimate: number | undefined,
  ): Promise<string> {
    const draftId = randomBytes(8).toString('hex');
    const draft: Draft = {
      guildId: context.guildId,
      userId: context.userId,
      model: source.model,
      options: source.options,
      imageUrl: source.imageUrl,
      imageUploadedAt: source.imageUploadedAt ?? null,
      imageKey: source.imageKey ?? null,
      endImage: source.endImage ?? null,
      parentJobId: source.id,
      fallbackFrom: source.fallbackFrom ?? null,
      fallbackModels: [...(source.fallbackModels ?? [])],
      estimate: estimate ?? null,
      extend: source.extend ?? null,
      takes: source.takes ?? 1,
      parentReply: source.parentReply ?? null,
    };
    await this.#keyv.set(draftKey(context.guildId, draftId), draft, DRAFT_TTL_MS);
    return draftId;
  }

  /** Takes the draft out (a second press finds nothing). */
  async take(guildId: string, draftId: string): Promise<Draft | undefined> {
    const key = draftKey(guildId, draftId);
    const draft = await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), draftSchema, this.#logger);
    if (draft) await this.#keyv.delete(key);
    return draft;
  }

  async peek(guildId: string, draftId: string): Promise<Draft | undefined> {
    const key = draftKey(guildId, draftId);
    return parseOrRetire(this.#keyv, key, await this.#keyv.get(key), draftSchema, this.#logger);
  }
}
