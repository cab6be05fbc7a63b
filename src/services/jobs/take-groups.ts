import type { Logger } from 'pino';
import type { SealedBox } from '../crypto/sealed-box.js';
import type { MessageBody, ReplyEditor } from '../discord/reply-editor.js';
import type { ModelRegistry } from '../models/registry.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import type { JobNotices, TakeSlot } from './job-notices.js';
import { type JobOf, type JobRecord, takeJobId } from './job-record.js';
import { replyTargetOf } from './job-requests.js';
import type { JobStore } from './job-store.js';
import type { OtherModels } from './other-models.js';

export interface TakeGroupsDeps {
  jobs: JobStore;
  replies: ReplyEditor;
  box: SealedBox;
  messages: JobNotices;
  models: ModelRegistry;
  logger: Logger;
  /** Lists the models "Try another model" offers; without it there is no menu. */
  otherModels?: OtherModels;
}

/** A take as its reply will show it: delivered as an attachment or a link, not yet recorded. */
export type DeliveredAs = JobOf<'delivered'>['deliveredAs'];

/**
 * The reply several takes share. Every edit of it is made from the store (what every take is
 * now), so a take that finishes never overwrites another's state, and edits of one group run one
 * at a time: a delivery reads the other takes' attachments, edits, and records its own attachment
 * before the next edit of that reply starts. Nothing is kept in memory across edits, so the same
 * holds after a restart; what another process could do meanwhile is ruled out by a guild's jobs
 * being run by one process (its shard).
 */
export class TakeGroups {
  readonly #deps: TakeGroupsDeps;
  readonly #edits = new KeyedMutex();

  constructor(deps: TakeGroupsDeps) {
    this.#deps = deps;
  }

  /** Runs `run` while no other edit of this take's shared reply is under way. Not reentrant. */
  exclusive<T>(job: JobRecord, run: () => Promise<T>): Promise<T> {
    return this.#edits.run(`${job.guildId}:${job.take?.group ?? job.id}`, run);
  }

  /** Every take of the job's group, in order, as stored (`current` in place of its own record). */
  async slots(current: JobRecord): Promise<TakeSlot[]> {
    const take = current.take;
    if (!take) return [{ index: 1, job: current }];
    return Promise.all(
      Array.from({ length: take.count }, async (_, offset) => {
        const index = offset + 1;
        const id = takeJobId(take.group, index);
        const job = id === current.id ? current : await this.#deps.jobs.get(current.guildId, id);
        return { index, job };
      }),
    );
  }

  /** The shared reply's body with every take as stored, `current` as given. */
  async body(current: JobRecord): Promise<MessageBody> {
    return this.#render(await this.slots(current));
  }

  async #render(slots: TakeSlot[]): Promise<MessageBody> {
    const ready = slots.find((slot) => slot.job?.status === 'delivered')?.job;
    const offers = ready && this.#deps.otherModels ? await this.#deps.otherModels.for(ready) : [];
    return this.#deps.messages.takes(slots, offers);
  }

  /**
   * Shows every take's state in the shared reply. The body names no attachments, so Discord
   * keeps the videos already there. Best effort, like every progress edit.
   */
  async refresh(job: JobRecord): Promise<void> {
    await this.exclusive(job, async () => {
      try {
        await this.#deps.replies.edit(replyTargetOf(job, this.#deps.box), await this.body(job));
      } catch (error) {
        this.#deps.logger.warn(
          { err: error, guildId: job.guildId, jobId: job.id },
          'could not update the takes’ reply',
        );
      }
    });
  }

  /**
   * What delivering take `job` sends (call under `exclusive`): the reply with this take shown
   * delivered `as` given, and the attachments of the other takes, kept by id.
   */
  async delivered(job: JobOf<'delivering'>, as: DeliveredAs): Promise<{ body: MessageBody; keep: string[] }> {
    const shown: JobOf<'delivered'> = {
      ...job,
      status: 'delivered',
      deliveredAs: as,
      deliveredVia: 'interaction',
      deliveredAt: job.updatedAt,
      attachmentId: null,
    };
    const slots = await this.slots(shown);
    const keep = slots.flatMap(({ job: other }) =>
      other && other.id !== job.id && other.status === 'delivered' && other.attachmentId
        ? [other.attachmentId]
        : [],
    );
    return { body: await this.#render(slots), keep };
  }
}
