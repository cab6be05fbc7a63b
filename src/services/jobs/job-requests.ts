import type { SealedBox } from '../crypto/sealed-box.js';
import type { JobOptions, JobRecord } from './job-record.js';
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
  prompt: string;
  /** The member's choice; else the server's model, else DEFAULT_MODEL. */
  model: string | null;
}

/** What a new job can be made from: a finished job, or a draft awaiting the member's confirmation. */
export interface JobSource {
  /** The job's id (it becomes the new job's parent); null for a draft. */
  id: string | null;
  model: string;
  options: JobOptions;
  /** Already on Kie's file host. */
  imageUrl: string;
}

export interface RepeatRequest extends ReplyContext {
  source: JobSource;
  /** The member confirmed the estimated cost: no second question. */
  confirmed?: boolean;
  /** Remix: the edited prompt. */
  prompt?: string;
}

export const tokenContext = (jobId: string) => `interaction-token:${jobId}`;

/** Opens a job's sealed interaction token (bound to the job's id). */
export function openInteractionToken(
  box: SealedBox,
  job: Pick<JobRecord, 'id' | 'interactionTokenSealed'>,
): string {
  return box.open(job.interactionTokenSealed, tokenContext(job.id));
}

/** The job costs more than the server's "confirm above" threshold: the member must say yes first. */
export class ConfirmationNeeded extends Error {
  override readonly name = 'ConfirmationNeeded';
  constructor(
    readonly draftId: string,
    readonly estimate: number,
    readonly threshold: number,
  ) {
    super('confirmation needed');
  }
}
