import { z } from 'zod';
import { imageKeySchema } from '../media/image-keeper.js';
import {
  type ExtendRequest,
  extendRequestSchema,
  type JobOptions,
  jobOptionsSchema,
} from '../models/model-input.js';

export { type ExtendRequest, extendRequestSchema, type JobOptions, jobOptionsSchema };

const snowflake = z.string().regex(/^\d{15,21}$/);
const epochMs = z.number().int().nonnegative();

/** What a user is told when a job fails: a catalogue key and its parameters, never raw upstream text alone. */
export const failureSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type Failure = z.infer<typeof failureSchema>;

/** An image on Kie's file host: when it was put there, and its kept copy (image-keeper.ts), if any. */
export const jobImageSchema = z.object({
  url: z.url(),
  uploadedAt: epochMs.nullable(),
  key: imageKeySchema.nullable(),
});

/** The most takes one /animate starts. */
export const MAX_TAKES = 4;

/**
 * One of several takes started together: they share a reply, and a take's job id is the group's
 * id followed by its index, so any take finds the others.
 */
export const takeSchema = z.object({
  group: z.string().regex(/^[a-z0-9]{8,24}$/),
  index: z.number().int().min(1).max(MAX_TAKES),
  count: z.number().int().min(2).max(MAX_TAKES),
});
export type Take = z.infer<typeof takeSchema>;

/** The job id of take `index` of a group. */
export const takeJobId = (group: string, index: number) => `${group}${index}`;

const base = {
  id: z.string().regex(/^[a-z0-9]{8,32}$/),
  guildId: snowflake,
  channelId: snowflake,
  userId: snowflake,
  locale: z.string().min(2).max(10),
  applicationId: snowflake,
  interactionId: snowflake,
  /** The interaction token, sealed; it edits the reply until `tokenExpiresAt`. */
  interactionTokenSealed: z.string(),
  tokenExpiresAt: epochMs,
  /** The reply message; needed to edit it through the channel once the token has expired. */
  replyMessageId: snowflake.nullable(),
  /** The Kie key the job was started with, sealed: a key rotated meanwhile does not break it. */
  kieKeySealed: z.string(),
  model: z.string().min(1),
  options: jobOptionsSchema,
  imageUrl: z.url(),
  /** When `imageUrl` was put on Kie, which deletes uploads after about a day; null in older records. */
  imageUploadedAt: epochMs.nullable().default(null),
  /** The image kept on disk (image-keeper.ts), uploaded again once Kie's copy may be gone; null: not kept. */
  imageKey: imageKeySchema.nullable().default(null),
  /** The last frame the member gave (`options.endFrame: 'image'`), uploaded and kept like the first. */
  endImage: jobImageSchema.nullable().default(null),
  attachmentSizeLimit: z.number().int().positive(),
  createdAt: epochMs,
  updatedAt: epochMs,
  deadlineAt: epochMs,
  lastKieState: z.string().nullable().default(null),
  /** The progress state the reply shows, and when it was last edited: edits are rationed. */
  shownState: z.string().nullable().default(null),
  lastEditAt: epochMs.nullable().default(null),
  /** Names the job in its Kie callback URL (only when PUBLIC_URL is set): unguessable, not a secret key. */
  callbackToken: z.string().nullable().default(null),
  /** The Kie balance just before createTask and once the task ended: what the job cost, roughly. */
  creditsBefore: z.number().nullable().default(null),
  creditsAfter: z.number().nullable().default(null),
  /** What Kie says it charged for the task (recordInfo's creditsConsumed), once the task ended. */
  creditsConsumed: z.number().nonnegative().nullable().default(null),
  /** The job this one was made from (Again, Remix, Retry), if any. */
  parentJobId: z.string().nullable().default(null),
  /**
   * The video's address at Kie once the task succeeded; kept on every later record (a failed
   * delivery, a cancel) so the member can still be given the link.
   */
  resultUrl: z.url().nullable().default(null),
  /** The server left the model to the bot, and the bot's first choice was passed over: which, and why. */
  fallbackFrom: z
    .object({ model: z.string(), reason: z.string().max(300) })
    .nullable()
    .default(null),
  /** Set when the job continues a finished video instead of starting from the image. */
  extend: extendRequestSchema.nullable().default(null),
  /** Set when the job is one of several takes sharing its reply. */
  take: takeSchema.nullable().default(null),
  /** The reply of the video this one was made from, linked from this one's (Extend, another model). */
  parentReply: z.object({ channelId: snowflake, messageId: snowflake }).nullable().default(null),
};

const withTask = { ...base, taskId: z.string().min(1), submittedAt: epochMs };

export const jobRecordSchema = z.discriminatedUnion('status', [
  /** Recorded before createTask, so a crash in between leaves a trace rather than an orphan. */
  z.object({ ...base, status: z.literal('pending') }),
  z.object({ ...withTask, status: z.literal('submitted') }),
  z.object({ ...withTask, status: z.literal('running') }),
  z.object({
    ...withTask,
    status: z.literal('delivering'),
    resultUrl: z.url(),
    /** When Kie says the task ended (its completeTime), for the delivery-latency metric. */
    completedAt: epochMs.nullable().default(null),
    /** When delivery began: it is retried with backoff for a long window from here. */
    deliveryStartedAt: epochMs.nullable().default(null),
    deliveryAttempts: z.number().int().nonnegative().default(0),
  }),
  z.object({
    ...withTask,
    status: z.literal('delivered'),
    resultUrl: z.url(),
    deliveredAs: z.enum(['attachment', 'link']),
    deliveredVia: z.enum(['interaction', 'channel-edit', 'channel-message']),
    deliveredAt: epochMs,
    /** The video's attachment on a reply shared by takes: kept by id when another take edits it. */
    attachmentId: snowflake.nullable().default(null),
  }),
  z.object({
    ...base,
    status: z.literal('failed'),
    taskId: z.string().nullable(),
    failure: failureSchema,
    endedAt: epochMs,
  }),
  z.object({ ...withTask, status: z.literal('expired'), endedAt: epochMs }),
  /** The member stopped tracking it; Kie has no cancel call, so the task may still run and be paid. */
  z.object({ ...base, status: z.literal('cancelled'), taskId: z.string().nullable(), endedAt: epochMs }),
]);

export type JobRecord = z.infer<typeof jobRecordSchema>;
export type JobStatus = JobRecord['status'];
export type JobOf<S extends JobStatus> = Extract<JobRecord, { status: S }>;

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  'delivered',
  'failed',
  'expired',
  'cancelled',
]);

export function isTerminal(job: JobRecord): boolean {
  return TERMINAL_STATUSES.has(job.status);
}
