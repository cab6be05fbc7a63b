import { deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Per PNG's naming rules: ancillary, private, reserved bit clear, safe to copy — decoders skip it. */
const PADDING_CHUNK = 'paDd';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A real RGB PNG (a colour gradient) built with node:zlib. `padToBytes` adds a private ancillary
 * chunk so the file is exactly that long (e.g. 11 MB to trip a 10 MB limit) and still decodes.
 */
export function makePng(width: number, height: number, opts: { padToBytes?: number } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const rowLength = 1 + width * 3;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = y * rowLength + 1 + x * 3;
      raw[at] = Math.floor((x / Math.max(1, width - 1)) * 255);
      raw[at + 1] = Math.floor((y / Math.max(1, height - 1)) * 255);
      raw[at + 2] = 128;
    }
  }
  const parts = [PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw))];
  const end = chunk('IEND', Buffer.alloc(0));
  if (opts.padToBytes !== undefined) {
    const size = parts.reduce((sum, part) => sum + part.length, end.length);
    const padding = opts.padToBytes - size - 12;
    if (padding < 0) throw new Error(`a ${width}x${height} PNG is already ${size} bytes`);
    parts.push(chunk(PADDING_CHUNK, Buffer.alloc(padding)));
  }
  return Buffer.concat([...parts, end]);
}

/** A 1×1 GIF89a (not accepted by Kie's image-to-video models). */
export function makeGif(): Buffer {
  return Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
}

/** An 8×8 red baseline JPEG (made once with ffmpeg). */
export function makeJpeg(): Buffer {
  return Buffer.from(
    '/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgUFBcUFxsbGxsbGyAeICEhISAgICAhISEkJCQqKiokJCQhISQkKCgqKi4vLisrKisv' +
      'LzIyMjw8OTlGRkhWVmf/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAA' +
      'AAAAAAAAAAAAAAAAAAD/wAARCAAIAAgDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z',
    'base64',
  );
}

/** An 8×8 blue lossless WebP (made once with ffmpeg). */
export function makeWebp(): Buffer {
  return Buffer.from('UklGRhwAAABXRUJQVlA4TA8AAAAvB8ABAAcQ0f/+ByKi/wEA', 'base64');
}
