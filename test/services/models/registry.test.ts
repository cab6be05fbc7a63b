import { describe, expect, it } from 'vitest';
import { createModelRegistry, DEFAULT_MODEL_ID } from '../../../src/services/models/registry.js';

describe('model registry', () => {
  const registry = createModelRegistry();

  it('has Sora 2 image-to-video as the default, first entry', () => {
    expect(DEFAULT_MODEL_ID).toBe('sora-2-image-to-video');
    expect(registry.list()[0]?.id).toBe(DEFAULT_MODEL_ID);
  });

  it('builds the Sora 2 input with every field explicit and n_frames as a string', () => {
    const sora = registry.get('sora-2-image-to-video');
    const input = sora?.buildInput({
      imageUrl: 'https://cdn.example/cat.png',
      options: {
        prompt: 'a cat waves',
        aspectRatio: 'portrait',
        aspectFromImage: false,
        durationSeconds: 15,
        removeWatermark: false,
        extra: {},
      },
    });
    expect(input).toStrictEqual({
      prompt: 'a cat waves',
      image_urls: ['https://cdn.example/cat.png'],
      aspect_ratio: 'portrait',
      n_frames: '15',
      remove_watermark: false,
    });
  });

  it('declares the documented Sora 2 limits', () => {
    const sora = registry.get('sora-2-image-to-video');
    expect(sora).toMatchObject({
      prompt: { maxLength: 10_000 },
      durationsSeconds: [10, 15],
      image: {
        field: 'image_urls',
        contentTypes: ['image/jpeg', 'image/png', 'image/webp'],
        maxBytes: 10 * 1024 * 1024,
      },
    });
  });
});
