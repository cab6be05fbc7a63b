import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type AttachmentFile,
  discordCode,
  type ReplyEditor,
  type ReplyTarget,
} from '../discord/reply-editor.js';
import type { KieClient } from '../kie/index.js';
import type { Logger } from '../logger.js';
import { DownloadError, downloadVideoToFile, type FileDownloadResult } from '../media/download.js';
import type { MediaFetcher } from '../media/safe-fetch.js';
import { scratchVideoPath } from '../media/scratch-files.js';
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
  /** Fetches the video under the media policy (https, public addresses, configured origins). */
  media: MediaFetcher;
  /**
   * Where the video waits on disk between download and upload (created if missing; each file
   * is removed when its delivery ends). Default: `os.tmpdir()`.
   */
  scratchDir?: string;
  now: () => number;
  /** Shows a progress state in the reply, when the edit ration allows. */
  progress(state: 'downloading' | 'uploading'): Promise<void>;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; job: JobOf<'delivered'> }
  | { kind: 'retry'; reason: string; cause: 'download' | 'refused' | 'discord' };

/**
 * Downloads the finished video once and puts it in the member's reply: attached when it fits
 * the reply's upload limit, linked otherwise. A repeat after a restart edits the same reply (an
 * edit is idempotent) or posts under the same nonce, so the member never gets it twice. The
 * video goes through a scratch file, never whole through memory, and the file is removed
 * whatever the outcome.
 */
export async function deliverJob(
  job: JobOf<'delivering'>,
  target: ReplyTarget,
  apiKey: string,
  deps: DeliverDeps,
): Promise<DeliveryOutcome> {
  const log = deps.logger.child({ guildId: job.guildId, jobId: job.id, taskId: job.taskId });
  const file = scratchVideoPath(deps.scratchDir ?? tmpdir());
  let sent: Sent | Retry;
  try {
    sent = await sendVideo(file, job, target, apiKey, { ...deps, logger: log });
  } finally {
    // Gone as soon as Discord has it: a crash during the store write leaves nothing behind.
    await rm(file, { force: true }).catch((error: unknown) =>
      log.error({ err: error, file }, 'the scratch video could not be removed'),
    );
  }
  if (sent.kind === 'retry') return sent;
  const { deliveredAs, deliveredVia } = sent;
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

type Retry = Extract<DeliveryOutcome, { kind: 'retry' }>;
type Sent = { kind: 'sent' } & Pick<JobOf<'delivered'>, 'deliveredAs' | 'deliveredVia'>;

/** Downloads the video to `file` and puts it (or its link) in front of the member. */
async function sendVideo(
  file: string,
  job: JobOf<'delivering'>,
  target: ReplyTarget,
  apiKey: string,
  deps: DeliverDeps,
): Promise<Sent | Retry> {
  const log = deps.logger;
  const cap = Math.min(job.attachmentSizeLimit, deps.maxVideoBytes);
  let video: FileDownloadResult;
  await deps.progress('downloading');
  try {
    video = await downloadResult(job, apiKey, cap, file, deps);
  } catch (error) {
    log.warn({ err: error }, 'video download failed; will try again');
    return {
      kind: 'retry',
      reason: error instanceof Error ? error.message : 'download failed',
      cause: error instanceof DownloadError && error.kind === 'refused' ? 'refused' : 'download',
    };
  }

  let body =
    video.kind === 'ok'
      ? deps.messages.deliveredAttachment(job, job.resultUrl)
      : deps.messages.deliveredLink(job, job.resultUrl, video.size, cap);
  let files: AttachmentFile[] =
    video.kind === 'ok' ? [{ name: 'video.mp4', path: file, contentType: 'video/mp4' }] : [];
  let deliveredAs: Sent['deliveredAs'] = video.kind === 'ok' ? 'attachment' : 'link';
  let deliveredVia: Sent['deliveredVia'];
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
  return { kind: 'sent', deliveredAs, deliveredVia };
}

/** Kie's result links expire; when one is refused, ask Kie for a fresh one and try once more. */
async function downloadResult(
  job: JobRecord & { resultUrl: string },
  apiKey: string,
  cap: number,
  file: string,
  deps: DeliverDeps,
) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    return await downloadVideoToFile(job.resultUrl, cap, deps.downloadTimeoutMs, file, deps.media);
  } catch (error) {
    if (!(error instanceof DownloadError) || error.status === undefined) throw error;
    const fresh = await deps.kie.getDownloadUrl(apiKey, job.resultUrl);
    return downloadVideoToFile(fresh, cap, deps.downloadTimeoutMs, file, deps.media);
  }
}
