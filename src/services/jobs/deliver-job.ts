import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import {
  type AttachmentFile,
  discordCode,
  type MessageBody,
  type ReplyEditor,
  type ReplyTarget,
} from '../discord/reply-editor.js';
import type { KieClient } from '../kie/index.js';
import { DownloadError, downloadVideoToFile, type FileDownloadResult } from '../media/download.js';
import type { MediaFetcher } from '../media/safe-fetch.js';
import { scratchVideoPath } from '../media/scratch-files.js';
import { type JobNotices, takeFileName } from './job-notices.js';
import type { JobOf } from './job-record.js';
import type { OtherModels } from './other-models.js';
import type { DeliveredAs, TakeGroups } from './take-groups.js';

export interface DeliverDeps {
  kie: KieClient;
  replies: ReplyEditor;
  messages: JobNotices;
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
  /** Shows a progress state in the reply, when the edit ration allows. */
  progress(state: 'downloading' | 'uploading'): Promise<void>;
  /** The models "Try another model" lists under the video; without it there is no menu. */
  otherModels?: OtherModels;
  /** The replies takes share; without it a take is delivered as a job of its own. */
  takes?: TakeGroups;
}

/**
 * What one delivery attempt did. It writes nothing to the store: the runner records a sent video
 * (in the `record` it passes, run before the next edit of a reply shared by takes).
 * `refused`: the media policy refused the URL (an internal address, http…): retrying cannot help.
 */
export type DeliveryResult =
  | Sent
  | { kind: 'retry'; reason: string; cause: 'download' | 'refused' | 'discord' };

export interface Sent {
  kind: 'sent';
  deliveredAs: DeliveredAs;
  deliveredVia: JobOf<'delivered'>['deliveredVia'];
  /** The video's attachment in the reply, when Discord said; a take's is kept by the others' edits. */
  attachmentId: string | null;
}

/**
 * Downloads the finished video once and puts it in the member's reply: attached when it fits
 * the reply's upload limit, linked otherwise. A repeat after a restart edits the same reply (an
 * edit is idempotent) or posts with the job's id as nonce, so the member never gets it twice.
 * The video goes through a scratch file, never whole through memory, removed whatever happens.
 */
export async function deliverJob(
  job: JobOf<'delivering'>,
  target: ReplyTarget,
  apiKey: string,
  deps: DeliverDeps,
  record: (sent: Sent) => Promise<void> = async () => undefined,
): Promise<DeliveryResult> {
  const log = deps.logger.child({ guildId: job.guildId, jobId: job.id, taskId: job.taskId });
  const file = scratchVideoPath(deps.scratchDir ?? tmpdir());
  try {
    return await sendVideo(file, job, target, apiKey, { ...deps, logger: log }, record);
  } finally {
    // Gone as soon as Discord has it: a crash during the store write leaves nothing behind.
    await rm(file, { force: true }).catch((error: unknown) =>
      log.error({ err: error, file }, 'the scratch video could not be removed'),
    );
  }
}

/** Downloads the video to `file` and puts it (or its link) in front of the member. */
async function sendVideo(
  file: string,
  job: JobOf<'delivering'>,
  target: ReplyTarget,
  apiKey: string,
  deps: DeliverDeps,
  record: (sent: Sent) => Promise<void>,
): Promise<DeliveryResult> {
  const log = deps.logger;
  const cap = Math.min(job.attachmentSizeLimit, deps.maxVideoBytes);
  let video: FileDownloadResult;
  await deps.progress('downloading');
  try {
    video = await downloadResult(job, apiKey, cap, file, deps);
  } catch (error) {
    log.warn({ err: error }, 'video download failed; will try again');
    const reason = error instanceof Error ? error.message : 'download failed';
    const refused = error instanceof DownloadError && error.kind === 'refused';
    return { kind: 'retry', reason, cause: refused ? 'refused' : 'download' };
  }
  // Before the reply is held: a take's progress edit waits for the same hold.
  if (video.kind === 'ok') await deps.progress('uploading');
  const messages = messagesFor(file, job, cap, deps);
  const size = video.kind === 'ok' ? undefined : video.size;
  const group = job.take ? deps.takes : undefined;
  const send = async (): Promise<DeliveryResult> => {
    const result = await sendMessage(job, target, video.kind === 'ok', size, messages, deps);
    if (result.kind === 'sent') await record(result);
    return result;
  };
  // A reply shared by takes: the other takes' attachments are read, kept and recorded one edit at a time.
  return group ? group.exclusive(job, send) : send();
}

interface Message {
  body: MessageBody;
  files: AttachmentFile[];
  as: DeliveredAs;
  /** Attachments of the reply to keep (a reply shared by takes); undefined: the files replace them. */
  keep?: string[];
}

/** The messages a delivery may send: in the job's reply (its own, or the takes'), or posted alone. */
function messagesFor(file: string, job: JobOf<'delivering'>, cap: number, deps: DeliverDeps) {
  const group = job.take ? deps.takes : undefined;
  const fileName = job.take ? takeFileName(job.take.index) : 'video.mp4';
  const files = [{ name: fileName, path: file, contentType: 'video/mp4' }];
  const extras = async () => ({ otherModels: (await deps.otherModels?.for(job)) ?? [] });
  const alone = {
    attached: async (): Promise<Message> => ({
      body: deps.messages.deliveredAttachment(job, job.resultUrl, await extras()),
      files,
      as: 'attachment',
    }),
    // Discord's real limit for the reply is unknown once it refused: say it is too large, not by how much.
    linked: async (size: number | undefined): Promise<Message> => ({
      body: deps.messages.deliveredLink(job, job.resultUrl, size, cap, await extras()),
      files: [],
      as: 'link',
    }),
  };
  const inReply = group
    ? {
        attached: async (): Promise<Message> => ({
          ...(await group.delivered(job, 'attachment')),
          files,
          as: 'attachment',
        }),
        linked: async (): Promise<Message> => ({
          ...(await group.delivered(job, 'link')),
          files: [],
          as: 'link',
        }),
      }
    : alone;
  return { inReply, alone };
}

/** Edits the reply, else posts a new message; a file too large for either goes as a link. */
async function sendMessage(
  job: JobOf<'delivering'>,
  target: ReplyTarget,
  fits: boolean,
  size: number | undefined,
  messages: ReturnType<typeof messagesFor>,
  deps: DeliverDeps,
): Promise<DeliveryResult> {
  const log = deps.logger;
  const { inReply, alone } = messages;
  try {
    const first = fits ? await inReply.attached() : await inReply.linked(size);
    const sent = await withLinkOnTooLarge(
      first,
      () => inReply.linked(undefined),
      log,
      async (message) =>
        message.keep
          ? deps.replies.editKeeping(target, message.body, message.files, message.keep)
          : { route: await deps.replies.edit(target, message.body, message.files), added: [] },
    );
    const attachmentId = sent.as === 'attachment' ? (sent.result.added[0]?.id ?? null) : null;
    return { kind: 'sent', deliveredAs: sent.as, deliveredVia: sent.result.route, attachmentId };
  } catch (error) {
    log.warn({ err: error, code: discordCode(error) }, 'the reply cannot be edited; posting a new message');
  }
  try {
    const first = fits ? await alone.attached() : await alone.linked(size);
    // The job's id as nonce: a post repeated after a crash or a retry lands once.
    const sent = await withLinkOnTooLarge(
      first,
      () => alone.linked(undefined),
      log,
      (message) => deps.replies.post(job.channelId, message.body, message.files, job.id),
    );
    return { kind: 'sent', deliveredAs: sent.as, deliveredVia: 'channel-message', attachmentId: null };
  } catch (postError) {
    const code = discordCode(postError);
    log.error({ err: postError, code }, 'no route to the member is open; will try again');
    return {
      kind: 'retry',
      reason: code ? `Discord error ${code}` : 'Discord refused every route',
      cause: 'discord',
    };
  }
}

/**
 * Sends the message; when Discord refuses the file as too large (40005: the reply's real limit
 * was lower than the interaction said, or a new message's limit is the server's alone, without
 * the member's Nitro), the link is sent instead: the video is delivered either way.
 */
async function withLinkOnTooLarge<R>(
  message: Message,
  link: () => Promise<Message>,
  log: Logger,
  send: (message: Message) => Promise<R>,
): Promise<{ as: Message['as']; result: R }> {
  try {
    return { as: message.as, result: await send(message) };
  } catch (error) {
    if (discordCode(error) !== 40005 || message.files.length === 0) throw error;
    log.warn('Discord refused the upload as too large; delivering a link');
    return { as: 'link', result: await send(await link()) };
  }
}

/** Kie's result links expire; when one is refused, ask Kie for a fresh one and try once more. */
async function downloadResult(
  job: JobOf<'delivering'>,
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
