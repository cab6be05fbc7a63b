import type { SealedBox } from '../crypto/sealed-box.js';
import type { ReplyTarget } from '../discord/reply-editor.js';
import type { UserFacingError } from '../user-facing-error.js';
import type { ExtendRequest, JobOf, JobOptions, JobRecord } from './job-record.js';
import type { AskedOptions } from './model-options.js';
import type { AttachmentClaims } from './request-checks.js';

/** Discord's interaction tokens live 15 minutes from the interaction's creation. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;

/** Who asked, where, and how to reach their reply. */
export interface ReplyContext {
  guildId: string;
  channelId: string;
  userId: string;
  locale: string;
  applicationId: string;
  interactionId: string;
  interactionToken: string;
  /** From the interaction's snowflake: the token's 15 minutes count from here. */
  interactionCreatedAt: number;
  replyMessageId: string | null;
  /** The member's role ids, for the server's "who may use it" limit. */
  memberRoleIds: readonly string[];
  attachmentSizeLimit: number;
}

export interface AnimateRequest extends ReplyContext, AskedOptions {
  attachment: AttachmentClaims;
  /** The last frame (`end_image`): checked, downloaded and uploaded like the first image. */
  endAttachment?: AttachmentClaims | null;
  /** `loop`: the first image is also the last frame. Not with `endAttachment`. */
  loop?: boolean | null;
  prompt: string;
  /** The member's choice; else the server's model, else DEFAULT_MODEL. */
  model: string | null;
  /** How many videos to make at once (1 to MAX_TAKES), each holding a place under the limits. Default 1. */
  takes?: number | null;
}

/** Where a job's reply is, for a link to it from another job's reply. */
export type ReplyLink = NonNullable<JobRecord['parentReply']>;

/** What a new job can be made from: a finished job, or a draft awaiting the member's confirmation. */
export interface JobSource {
  /** The job's id (it becomes the new job's parent); null for a draft. */
  id: string | null;
  model: string;
  options: JobOptions;
  /** On Kie's file host, or was: Kie deletes uploads after about a day. */
  imageUrl: string;
  /** When `imageUrl` was uploaded; unknown (left out, or null): it is used as it is. */
  imageUploadedAt?: number | null;
  /** The image's copy on disk (image-keeper.ts), uploaded again once Kie's may be gone. */
  imageKey?: string | null;
  /** Kie said it could not fetch `imageUrl` (a job that failed for it): uploaded again whatever its age. */
  imageUnreachable?: boolean;
  /** The last frame the member gave (`options.endFrame: 'image'`), handled like the first image. */
  endImage?: JobImage | null;
  /** The model the bot passed over for this one, if it did. */
  fallbackFrom?: JobRecord['fallbackFrom'];
  /**
   * A draft made from the bot's default list: the models after this one, tried in turn if Kie
   * refuses it as unavailable once the member has confirmed.
   */
  fallbackModels?: readonly string[];
  /** Continue this finished video (Extend) instead of starting from the image. */
  extend?: ExtendRequest | null;
  /** How many takes (a draft of several). Default 1. */
  takes?: number;
  /** The reply the new job's reply links to (Extend, another model). */
  parentReply?: ReplyLink | null;
}

/** The image a job is made from: its Kie URL, when that was uploaded, and its kept copy's key. */
export interface JobImage {
  url: string;
  uploadedAt: number | null;
  key: string | null;
}

/**
 * How Kie says it could not fetch a task's image (it documents no code for it): "Failed to fetch
 * the image", "image download failed", "cannot access image_url", "image not found (404)"…
 */
const IMAGE_UNREACHABLE =
  /\b(fail\w*|unable|could ?not|can ?not|cannot|error)\b[^.]{0,40}\b(fetch|download|load|access|read|retriev)\w*\b[^.]{0,20}\b(image|input|file|url)|\bimage\w*\b[^.]{0,40}\b(not found|404|403|expired|unreachable|inaccessible|download failed|fetch failed)/i;

/** What Again, Remix and Retry make a new job from. */
export function jobSourceOf(job: JobRecord): JobSource {
  const reason = job.status === 'failed' ? job.failure.params.reason : undefined;
  return {
    id: job.id,
    model: job.model,
    options: job.options,
    imageUrl: job.imageUrl,
    // Older records did not say; the upload came just before the job was recorded.
    imageUploadedAt: job.imageUploadedAt ?? job.createdAt,
    imageKey: job.imageKey,
    imageUnreachable: typeof reason === 'string' && IMAGE_UNREACHABLE.test(reason),
    endImage: job.endImage,
    fallbackFrom: job.fallbackFrom,
    // Again, Remix or Retry on an extension extend the same video again (and link it).
    extend: job.extend,
    parentReply: job.extend ? job.parentReply : null,
  };
}

/** A link to a job's reply, once it has one. */
export function replyLinkOf(job: Pick<JobRecord, 'channelId' | 'replyMessageId'>): ReplyLink | null {
  return job.replyMessageId ? { channelId: job.channelId, messageId: job.replyMessageId } : null;
}

export interface RepeatRequest extends ReplyContext {
  source: JobSource;
  /**
   * The member agreed to spend up to this many credits (a draft's estimate; Infinity when none
   * was known): no second question for a model that costs no more.
   */
  confirmedUpTo?: number;
  /** Remix: the edited prompt. */
  prompt?: string;
  /** "Try another model": the model to make it with instead of the source's (options mapped to it). */
  model?: string | null;
}

export const tokenContext = (jobId: string) => `interaction-token:${jobId}`;

/** Opens a job's sealed interaction token (bound to the job's id). */
export function openInteractionToken(
  box: SealedBox,
  job: Pick<JobRecord, 'id' | 'interactionTokenSealed'>,
): string {
  return box.open(job.interactionTokenSealed, tokenContext(job.id));
}

/** Where a job's reply lives: the one way every part of the bot reaches it. */
export function replyTargetOf(job: JobRecord, box: SealedBox): ReplyTarget {
  return {
    applicationId: job.applicationId,
    interactionToken: openInteractionToken(box, job),
    tokenExpiresAt: job.tokenExpiresAt,
    channelId: job.channelId,
    replyMessageId: job.replyMessageId,
  };
}

/** The reply a command is answering, before any job exists (its token is still in memory). */
export function replyTargetOfContext(reply: ReplyContext): ReplyTarget {
  return {
    applicationId: reply.applicationId,
    interactionToken: reply.interactionToken,
    tokenExpiresAt: reply.interactionCreatedAt + INTERACTION_TOKEN_TTL_MS,
    channelId: reply.channelId,
    replyMessageId: reply.replyMessageId,
  };
}

/**
 * What became of a request to start a job. Expected refusals (a limit, a bad image, a Kie
 * refusal) are outcomes, not exceptions; only faults of ours are thrown.
 */
export type SubmitOutcome =
  | {
      kind: 'submitted';
      job: JobOf<'submitted'>;
      /** Several takes: every take Kie accepted, `job` (the first) included. */
      takes?: readonly JobOf<'submitted'>[];
    }
  /**
   * Nothing is spent until the member says yes: the estimate is above the server's "confirm
   * above" threshold, or the model someone chose cannot run now and another is offered.
   */
  | {
      kind: 'needs-confirmation';
      draftId: string;
      /** The model the draft would use (its id) and its estimated cost. */
      model: string;
      estimate: number | undefined;
      why: { kind: 'cost'; threshold: number } | { kind: 'model-unavailable'; model: string; reason: string };
      /** Several takes: `estimate` is for all of them. Default 1. */
      takes?: number;
    }
  | { kind: 'refused'; error: UserFacingError };
