import type { Eta } from '../quota/eta-book.js';
import type { Failure, JobRecord } from './job-record.js';
import type { ModelOffer } from './other-models.js';

/** Where a running job stands, as the member is told. */
export type ProgressState = 'queued' | 'generating' | 'downloading' | 'uploading';

/** A message body as discord.js sends it. */
type MessageBody = Record<string, unknown>;

/** What a delivered reply may offer beyond its own buttons. */
export interface DeliveredExtras {
  /** The models "Try another model" lists (none: no menu). */
  otherModels?: readonly ModelOffer[];
}

/** A take's place in its group, and its record once written. */
export interface TakeSlot {
  index: number;
  job: JobRecord | undefined;
}

/** The name a take's video is attached under, so members can tell the takes apart. */
export const takeFileName = (index: number) => `take-${index}.mp4`;

/**
 * The messages a job tells its member, in the job's locale: what tracking and delivery need of
 * the renderer (render/job-messages.ts implements it), so the jobs folder never imports render.
 */
export interface JobNotices {
  progress(job: JobRecord, state: ProgressState, eta?: Eta): MessageBody;
  deliveredAttachment(job: JobRecord, resultUrl: string, extras?: DeliveredExtras): MessageBody;
  deliveredLink(
    job: JobRecord,
    url: string,
    size: number | undefined,
    limitBytes: number,
    extras?: DeliveredExtras,
  ): MessageBody;
  failed(job: JobRecord, failure: Failure): MessageBody;
  /** The one reply several takes share. */
  takes(slots: readonly TakeSlot[], offers: readonly ModelOffer[]): MessageBody;
}
