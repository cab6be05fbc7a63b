import { openAsBlob } from 'node:fs';
import type { REST, RequestData } from '@discordjs/rest';
import { type APIMessage, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { z } from 'zod';

/** A Discord message body as the REST API takes it (content, embeds, components, allowed_mentions…). */
export type MessageBody = Record<string, unknown>;

/** Where a job's reply lives, and what can still reach it. */
export interface ReplyTarget {
  applicationId: string;
  interactionToken: string;
  tokenExpiresAt: number;
  channelId: string;
  replyMessageId: string | null;
}

/**
 * A file to attach, read from disk while each request is sent, so the process never holds it
 * whole. The file must stay unchanged until the call returns.
 */
export interface AttachmentFile {
  name: string;
  path: string;
  contentType: string;
}

export type EditRoute = 'interaction' | 'channel-edit';

/** An edit that may carry files: the route it took and the attachments the files became. */
export interface EditResult {
  route: EditRoute;
  /** The attachments Discord made of the files sent, by filename (empty when it did not say). */
  added: Array<{ id: string; filename: string }>;
}

const editedMessage = z.object({
  attachments: z.array(z.object({ id: z.string(), filename: z.string() }).loose()).default([]),
});

/** Stop using the interaction token this long before it expires: a 401 counts towards Discord's ban. */
const TOKEN_SAFETY_MS = 60_000;

/** Discord errors after which the channel route is worth a try (token gone, message or access gone). */
const channelEditWorthTrying = new Set([50027, 10015, 10008, 10062]);
const UNKNOWN_MESSAGE = 10008;

export class ReplyEditor {
  readonly #rest: REST;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(rest: REST, logger: Logger, now: () => number = Date.now) {
    this.#rest = rest;
    this.#logger = logger;
    this.#now = now;
  }

  tokenUsable(target: Pick<ReplyTarget, 'tokenExpiresAt'>): boolean {
    return this.#now() < target.tokenExpiresAt - TOKEN_SAFETY_MS;
  }

  /**
   * Edits the reply: through the interaction webhook while its token lives, then with the bot
   * token through the channel. Throws the last Discord error when neither route works.
   */
  async edit(target: ReplyTarget, body: MessageBody, files: AttachmentFile[] = []): Promise<EditRoute> {
    return (await this.editKeeping(target, body, files)).route;
  }

  /**
   * Like `edit`. With `keep`, the reply's attachments become exactly those (by id) and the files
   * sent: a reply shared by several takes keeps the other takes' videos (Discord drops every
   * attachment an edit's `attachments` leaves out). Without it, files replace what was attached.
   */
  async editKeeping(
    target: ReplyTarget,
    body: MessageBody,
    files: AttachmentFile[] = [],
    keep?: readonly string[],
  ): Promise<EditResult> {
    const sent = (message: unknown): EditResult => ({
      route: 'interaction',
      added: addedAttachments(message, files, keep ?? []),
    });
    if (this.tokenUsable(target)) {
      try {
        const message = await this.#rest.patch(
          Routes.webhookMessage(target.applicationId, target.interactionToken, '@original'),
          { ...(await requestBody(body, files, keep)), auth: false },
        );
        return sent(message);
      } catch (error) {
        const code = discordCode(error);
        if (code === undefined || !channelEditWorthTrying.has(code) || !target.replyMessageId)
          throw withoutToken(error, target.interactionToken);
        this.#logger.warn({ code }, 'interaction webhook refused the edit; trying the channel route');
      }
    }
    if (!target.replyMessageId)
      throw new Error('the reply message id is unknown, so the channel route cannot be used');
    const message = await this.#rest.patch(
      Routes.channelMessage(target.channelId, target.replyMessageId),
      await requestBody(body, files, keep),
    );
    return { ...sent(message), route: 'channel-edit' };
  }

  /**
   * Deletes a message of the job: its reply through the interaction webhook while the token
   * lives, any other (or the reply later) with the bot token through the channel. A message that
   * is already gone counts as deleted.
   */
  async remove(target: ReplyTarget, messageId: string): Promise<EditRoute | 'gone'> {
    if (messageId === target.replyMessageId && this.tokenUsable(target)) {
      try {
        await this.#rest.delete(
          Routes.webhookMessage(target.applicationId, target.interactionToken, '@original'),
          { auth: false },
        );
        return 'interaction';
      } catch (error) {
        const code = discordCode(error);
        if (code === undefined || !channelEditWorthTrying.has(code))
          throw withoutToken(error, target.interactionToken);
        this.#logger.warn({ code }, 'interaction webhook refused the delete; trying the channel route');
      }
    }
    try {
      await this.#rest.delete(Routes.channelMessage(target.channelId, messageId));
      return 'channel-edit';
    } catch (error) {
      if (discordCode(error) === UNKNOWN_MESSAGE) return 'gone';
      throw error;
    }
  }

  /** Posts a new message in the channel; `nonce` makes a retried post land only once. */
  async post(
    channelId: string,
    body: MessageBody,
    files: AttachmentFile[],
    nonce: string,
  ): Promise<APIMessage> {
    return (await this.#rest.post(
      Routes.channelMessages(channelId),
      await requestBody({ ...body, nonce, enforce_nonce: true }, files),
    )) as APIMessage;
  }
}

/**
 * JSON without files; with files, the multipart Discord takes (`payload_json` whose
 * `attachments[n].id` is `n`, and `files[n]`), built here and passed through @discordjs/rest
 * untouched: given `files`, it would copy each file into a Blob in memory.
 */
async function requestBody(
  body: MessageBody,
  files: AttachmentFile[],
  keep?: readonly string[],
): Promise<Pick<RequestData, 'body' | 'passThroughBody'>> {
  const kept = (keep ?? []).map((id) => ({ id }));
  if (files.length === 0) return { body: keep ? { ...body, attachments: kept } : body };
  const attachments = [...kept, ...files.map((file, index) => ({ id: String(index), filename: file.name }))];
  const form = new FormData();
  form.append('payload_json', JSON.stringify({ ...body, attachments }));
  for (const [index, file] of files.entries()) {
    form.append(`files[${index}]`, await openAsBlob(file.path, { type: file.contentType }), file.name);
  }
  return { body: form, passThroughBody: true };
}

/** The attachments an edited message holds that were not kept: the files just sent. */
function addedAttachments(
  message: unknown,
  files: AttachmentFile[],
  keep: readonly string[],
): EditResult['added'] {
  if (files.length === 0) return [];
  const parsed = editedMessage.safeParse(message);
  if (!parsed.success) return [];
  const names = new Set(files.map((file) => file.name));
  return parsed.data.attachments
    .filter((attachment) => !keep.includes(attachment.id) && names.has(attachment.filename))
    .map(({ id, filename }) => ({ id, filename }));
}

/**
 * @discordjs/rest's errors carry the request URL, which on the webhook route holds the
 * interaction token: blanked here, so whoever logs the error logs no secret.
 */
function withoutToken(error: unknown, token: string): unknown {
  if (error instanceof Error && 'url' in error && typeof error.url === 'string')
    Object.assign(error, { url: error.url.replaceAll(token, '[redacted]') });
  return error;
}

/**
 * Discord's error code. Checked by shape, not `instanceof`: discord.js throws the CommonJS build's
 * DiscordAPIError, which is another class than the ESM build this module would import.
 */
export function discordCode(error: unknown): number | undefined {
  if (!isDiscordApiError(error)) return undefined;
  return typeof error.code === 'number' ? error.code : undefined;
}

export function discordStatus(error: unknown): number | undefined {
  return isDiscordApiError(error) && typeof error.status === 'number' ? error.status : undefined;
}

function isDiscordApiError(error: unknown): error is { code: unknown; status: unknown } {
  return error instanceof Error && error.name.startsWith('DiscordAPIError');
}
