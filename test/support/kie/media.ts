import { readFile } from 'node:fs/promises';

/** Where the fixture video lives: a 64×64, 1 s, H.264 mp4 made once with ffmpeg (~2 KB). */
export const SAMPLE_MP4_URL = new URL('../../fixtures/sample.mp4', import.meta.url);

export function loadSampleVideo(): Promise<Buffer> {
  return readFile(SAMPLE_MP4_URL);
}

/** Appends a top-level `free` box so the file is `totalBytes` long and still a valid mp4. */
export function padMp4(video: Buffer, totalBytes: number): Buffer {
  if (totalBytes === video.length) return video;
  const boxSize = totalBytes - video.length;
  if (boxSize < 8) throw new Error(`cannot pad a ${video.length}-byte mp4 to ${totalBytes} bytes`);
  if (boxSize > 0xffff_ffff) throw new Error('padding past 4 GiB is not supported');
  const box = Buffer.alloc(boxSize);
  box.writeUInt32BE(boxSize, 0);
  box.write('free', 4, 'latin1');
  return Buffer.concat([video, box]);
}

export const TEN_MB = 10 * 1024 * 1024;

/** Content type by magic bytes, as Kie's "automatically identifies MIME types". */
export function sniffMime(bytes: Buffer): string | undefined {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(4, 8) === 'ftyp') return 'video/mp4';
  return undefined;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
};

export function extensionFor(mimeType: string): string {
  return EXTENSIONS[mimeType] ?? '.bin';
}

export function mimeForName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = name.slice(dot).toLowerCase();
  if (ext === '.jpeg') return 'image/jpeg';
  return Object.entries(EXTENSIONS).find(([, e]) => e === ext)?.[0];
}
