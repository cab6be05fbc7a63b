import type { AttachmentClaims } from '../discord/message-image.js';
import { formatBytes } from '../i18n/index.js';
import { DownloadError, type DownloadResult, downloadBounded } from '../media/download.js';
import { type ImageInfo, readImageInfo } from '../media/image-info.js';
import type { MediaFetcher } from '../media/safe-fetch.js';
import type { ModelEntry } from '../models/model.js';
import type { GuildSettings, SettingsStore } from '../settings/settings-store.js';
import { UserFacingError } from '../user-facing-error.js';

export type { AttachmentClaims };

/** Strips control characters, C0 and C1 (keeping tabs and line breaks), and surrounding blanks. */
export function normalisePrompt(prompt: string): string {
  return prompt.replace(/(?![\t\n\r])\p{Cc}/gu, '').trim();
}

/** The prompt as it will be sent, or the reason it cannot be. */
export function checkPrompt(raw: string, model: ModelEntry): string {
  const prompt = normalisePrompt(raw);
  if (prompt.length === 0) throw new UserFacingError('error.promptEmpty');
  if (prompt.length > model.prompt.maxLength) {
    throw new UserFacingError('error.promptTooLong', {
      length: prompt.length,
      limit: model.prompt.maxLength,
      model: model.label,
    });
  }
  return prompt;
}

export function checkDuration(seconds: number, model: ModelEntry): number {
  if (!model.durationsSeconds.includes(seconds)) {
    throw new UserFacingError('error.durationUnsupported', {
      model: model.label,
      allowed: model.durationsSeconds.join(' / '),
      asked: seconds,
    });
  }
  return seconds;
}

/** The server's Kie key, opened for a request about to be made. */
export function openGuildKey(settings: SettingsStore, guildId: string, guildSettings: GuildSettings): string {
  if (!guildSettings.kieKey) throw new UserFacingError('error.noKey');
  try {
    return settings.openSealedKieKey(guildId, guildSettings.kieKey.sealed);
  } catch {
    throw new UserFacingError('error.keyUnreadable');
  }
}

/** Checks what Discord says of the file before downloading it; the bytes are checked again after. */
export function checkAttachmentClaims(attachment: AttachmentClaims, model: ModelEntry): void {
  if (attachment.unverified) return;
  const type = attachment.contentType?.split(';')[0]?.trim().toLowerCase() || null;
  if (!type || !model.image.contentTypes.includes(type)) {
    throw new UserFacingError('error.imageType', {
      type: type ?? 'unknown',
      allowed: describeTypes(model.image.contentTypes),
    });
  }
  if (attachment.size === 0) throw new UserFacingError('error.imageEmpty');
  if (attachment.size > model.image.maxBytes) {
    throw new UserFacingError('error.imageTooLarge', {
      size: formatBytes(attachment.size),
      limit: formatBytes(model.image.maxBytes),
    });
  }
}

/** Downloads the attachment (capped) and checks that its bytes are an image the model takes. */
export async function fetchImage(
  attachment: AttachmentClaims,
  model: ModelEntry,
  timeoutMs: number,
  media: MediaFetcher,
): Promise<ImageInfo & { bytes: Buffer }> {
  let result: DownloadResult;
  try {
    result = await downloadBounded(attachment.url, model.image.maxBytes, timeoutMs, media);
  } catch (error) {
    const reason = error instanceof DownloadError ? error.message : 'network error';
    throw new UserFacingError('error.imageUnreachable', { reason });
  }
  if (result.kind === 'too-large') {
    throw new UserFacingError('error.imageTooLarge', {
      size: formatBytes(result.size ?? model.image.maxBytes + 1),
      limit: formatBytes(model.image.maxBytes),
    });
  }
  if (result.bytes.length === 0) throw new UserFacingError('error.imageEmpty');
  const info = readImageInfo(result.bytes);
  if (!info || !model.image.contentTypes.includes(info.contentType)) {
    throw new UserFacingError('error.imageTypeLies', {
      claimed: attachment.contentType ?? 'unknown',
      allowed: describeTypes(model.image.contentTypes),
    });
  }
  return { bytes: result.bytes, ...info };
}

/** Whether the model takes this image (type, size and smallest side, where documented). */
export function acceptsImage(model: ModelEntry, image: ImageInfo & { bytes: Buffer }): boolean {
  try {
    requireImageFor(model, image);
    return true;
  } catch {
    return false;
  }
}

/** Refuses, by name, an image the model cannot take. */
export function requireImageFor(model: ModelEntry, image: ImageInfo & { bytes: Buffer }): void {
  if (!model.image.contentTypes.includes(image.contentType)) {
    throw new UserFacingError('error.imageType', {
      type: image.contentType,
      allowed: describeTypes(model.image.contentTypes),
    });
  }
  if (image.bytes.length > model.image.maxBytes) {
    throw new UserFacingError('error.imageTooLarge', {
      size: formatBytes(image.bytes.length),
      limit: formatBytes(model.image.maxBytes),
    });
  }
}

function describeTypes(contentTypes: readonly string[]): string {
  return contentTypes.map((type) => type.replace('image/', '').toUpperCase()).join(', ');
}
