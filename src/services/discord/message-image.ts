import type { Attachment, Embed } from 'discord.js';

/** What Discord says of an image, before the bot downloads it. */
export interface AttachmentClaims {
  url: string;
  contentType: string | null;
  size: number;
  width: number | null;
  height: number | null;
  /**
   * Discord says nothing of the file's type or size (an embed's image, taken by Animate on a
   * message): only its downloaded bytes are checked.
   */
  unverified?: boolean;
}

/** File names that are images even when Discord gives no content type. */
const IMAGE_NAME = /\.(png|jpe?g|webp|gif|bmp|avif|heic|heif|tiff?)$/i;

/** What Animate needs of a message: its attachments and embeds, in order. */
export interface MessageMedia {
  attachments: { values(): Iterable<Attachment> };
  embeds: readonly Embed[];
}

/** What Discord says of an attached file, checked before the bot downloads it. */
export function claimsOf(attachment: Attachment): AttachmentClaims {
  return {
    url: attachment.url,
    contentType: attachment.contentType,
    size: attachment.size,
    width: attachment.width,
    height: attachment.height,
  };
}

/**
 * The first image of a message: an attached image first (Discord says its type and size, checked
 * before any download), else an embed's image or thumbnail (nothing is said of those: only
 * their bytes are checked, once downloaded under the media policy). A GIF counts, so the member
 * is told it is not taken rather than that there is no image.
 */
export function firstImageOf(message: MessageMedia): AttachmentClaims | undefined {
  for (const attachment of message.attachments.values()) {
    const type = attachment.contentType?.toLowerCase() ?? null;
    if (type ? type.startsWith('image/') : IMAGE_NAME.test(attachment.name)) return claimsOf(attachment);
  }
  for (const embed of message.embeds) {
    for (const image of [embed.image, embed.thumbnail]) {
      // Discord's own proxy when it has one: a Discord address, not the link's site.
      const url = image?.proxyURL ?? image?.url;
      if (!image || !url) continue;
      return {
        url,
        contentType: null,
        size: 0,
        width: image.width ?? null,
        height: image.height ?? null,
        unverified: true,
      };
    }
  }
  return undefined;
}
