import { imageSize } from 'image-size';

export interface ImageInfo {
  contentType: string;
  width: number;
  height: number;
}

const contentTypeOf: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
};

/** What the bytes really are, whatever the upload claimed; undefined for anything unreadable. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  try {
    const { type, width, height } = imageSize(bytes);
    const contentType = type ? contentTypeOf[type] : undefined;
    if (!contentType || !width || !height) return undefined;
    return { contentType, width, height };
  } catch {
    return undefined;
  }
}
