import { describe, expect, it } from 'vitest';
import { readImageInfo } from '../../../src/services/media/image-info.js';
import { makeGif, makeJpeg, makePng, makeWebp } from '../../support/images.js';

describe('readImageInfo', () => {
  it.each([
    ['PNG', () => makePng(64, 36), { contentType: 'image/png', width: 64, height: 36 }],
    ['portrait PNG', () => makePng(9, 16), { contentType: 'image/png', width: 9, height: 16 }],
    ['JPEG', makeJpeg, { contentType: 'image/jpeg', width: 8, height: 8 }],
    ['WebP', makeWebp, { contentType: 'image/webp', width: 8, height: 8 }],
    ['GIF', makeGif, { contentType: 'image/gif', width: 1, height: 1 }],
  ])('reads the real type and size of a %s', (_, make, expected) => {
    expect(readImageInfo(make())).toEqual(expected);
  });

  it('reads a padded PNG by its content, not its length', () => {
    expect(readImageInfo(makePng(20, 10, { padToBytes: 200_000 }))).toEqual({
      contentType: 'image/png',
      width: 20,
      height: 10,
    });
  });

  it('reports a PNG uploaded as "photo.jpg" (image/jpeg) as a PNG', () => {
    const claimedJpeg = new Uint8Array(makePng(32, 32));
    expect(readImageInfo(claimedJpeg)?.contentType).toBe('image/png');
  });

  it.each([
    ['zero bytes', Buffer.alloc(0)],
    ['a run of zero bytes', Buffer.alloc(4_096)],
    ['garbage bytes', Buffer.from(Array.from({ length: 4_096 }, (_, i) => (i * 37 + 11) % 256))],
    ['text', Buffer.from('this is not an image, just a prompt someone pasted')],
    ['an MP4 header', Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex')],
    ['a PNG signature alone', makePng(4, 4).subarray(0, 8)],
  ])('returns undefined for %s', (_, bytes) => {
    expect(readImageInfo(bytes)).toBeUndefined();
  });
});
