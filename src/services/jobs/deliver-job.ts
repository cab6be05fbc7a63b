import { randomBytes } from 'node:crypto';
import type { RawFile } from '@discordjs/rest';
import { discordCode, type ReplyEditor, type ReplyTarget } from '../discord/reply-editor.js';
import type { KieClient } from '../kie/index.js';
import type { Logger } from '../logger.js';
import { DownloadError, type DownloadResult, downloadBounded } from '../media/download.js';
import type { JobMessages } from '../render/job-messages.js';
import type { JobOf, JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';

export interface DeliverDeps {
  jobs: JobStore;
  kie: KieClient;
  replies: ReplyEditor;
  messages: JobMessages;
  logger: Logger;
  maxVideoBytes: number;
  downloadTimeoutMs: number;
  now: () => number;
  /** Shows a progress state in the reply, when the edit ration allows. */
  progress(state: 'downloading' | 'uploading'): Promise<void>;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; job: JobOf<'delivered'> }
  | { kind: 'retry'; reason: string; cause: 'download' | 'discord' };

/**
 * Downloads the finished video once and puts it in the member's reply: attached when it fits
 * the reply's upload limit, linked otherwise. A repeat after a restart edits the same reply (an
 * edit is idempotent) or posts under the same nonce, so the member never gets it twice.
 */
export async function deliverJob(
  job: JobOf<'delivering'>,
  target: ReplyTarget,
  apiKey: string,
  deps: DeliverDeps,
): Promise<DeliveryOutcome> {
  const log = deps.logger.child({ guildId: job.guildId, jobId: job.id, taskId: job.taskId });
  const cap = Math.min(job.attachmentSizeLimit, deps.maxVideoBytes);
  let video: DownloadResult;
  await deps.progress('downloading');
  try {
    video = await downloadResult(job, apiKey, cap, deps);
  } catch (error) {
    log.warn({ err: error }, 'video download failed; will try again');
    return {
      kind: 'retry',
      reason: error instanceof Error ? error.message : 'download failed',
      cause: 'download',
    };
  }

  let body =
    video.kind === 'ok'
      ? deps.messages.deliveredAttachment(job, job.resultUrl)
      : deps.messages.deliveredLink(job, job.resultUrl, video.size, cap);
  let files: RawFile[] =
    video.kind === 'ok' ? [{ name: 'video.mp4', data: video.bytes, contentType: 'video/mp4' }] : [];
  let deliveredAs: 'attachment' | 'link' = video.kind === 'ok' ? 'attachment' : 'link';
  let deliveredVia: JobOf<'delivered'>['deliveredVia'];
  if (files.length > 0) await deps.progress('uploading');
  try {
    deliveredVia = await deps.replies.edit(target, body, files).catch(async (error: unknown) => {
      if (discordCode(error) !== 40005 || files.length === 0) throw error;
      // The reply's real limit was lower than the interaction said: a link still delivers.
      log.warn('Discord refused the upload as too large; delivering a link');
      body = deps.messages.deliveredLink(
        job,
        job.resultUrl,
        // Discord's real limit for this reply is unknown: say it is too large, not by how much.
        undefined,
        cap,
      );
      files = [];
      deliveredAs = 'link';
      return deps.replies.edit(target, body, files);
    });
  } catch (error) {
    log.warn({ err: error, code: discordCode(error) }, 'the reply cannot be edited; posting a new message');
    const nonce = job.fallbackNonce ?? randomBytes(12).toString('hex');
    if (!job.fallbackNonce) await deps.jobs.put({ ...job, fallbackNonce: nonce, updatedAt: deps.now() });
    try {
      await deps.replies.post(job.channelId, body, files, nonce);
      deliveredVia = 'channel-message';
    } catch (postError) {
      log.error(
        { err: postError, code: discordCode(postError) },
        'no route to the member is open; will try again',
      );
      const code = discordCode(postError);
      return {
        kind: 'retry',
        reason: code ? `Discord error ${code}` : 'Discord refused every route',
        cause: 'discord',
      };
    }
  }
  const delivered = (await deps.jobs.put({
    ...job,
    status: 'delivered',
    deliveredAs,
    deliveredVia,
    deliveredAt: deps.now(),
    updatedAt: deps.now(),
  })) as JobOf<'delivered'>;
  log.info({ deliveredAs, deliveredVia, latencyMs: deps.now() - job.updatedAt }, 'job delivered');
  return { kind: 'delivered', job: delivered };
}

/** Kie's result links expire; when one is refused, ask Kie for a fresh one and try once more. */
async function downloadResult(
  job: JobRecord & { resultUrl: string },
  apiKey: string,
  cap: number,
  deps: DeliverDeps,
) {
  try {
    return await downloadBounded(job.resultUrl, cap, deps.downloadTimeoutMs);
  } catch (error) {
    if (!(error instanceof DownloadError) || error.status === undefined) throw error;
    const fresh = await deps.kie.getDownloadUrl(apiKey, job.resultUrl);
    return downloadBounded(fresh, cap, deps.downloadTimeoutMs);
  }
}
