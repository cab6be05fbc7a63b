import { describe, expect, it } from 'vitest';
import { typicalCredits } from '../../../src/services/models/describe-model.js';
import { isWithdrawn } from '../../../src/services/models/model.js';
import {
  createModelRegistry,
  DEFAULT_MODEL_ID,
  DEFAULT_MODEL_IDS,
} from '../../../src/services/models/registry.js';

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

  describe('DEFAULT_MODEL_IDS, the bot-wide default list', () => {
    const entries = DEFAULT_MODEL_IDS.map((id) => registry.get(id));

    it('starts with Sora 2, as the spec asks, then the doc’s candidate Seedance 2 Mini', () => {
      expect(DEFAULT_MODEL_IDS.slice(0, 2)).toEqual([DEFAULT_MODEL_ID, 'bytedance/seedance-2-mini']);
      expect(entries.every((entry) => entry !== undefined)).toBe(true);
    });

    it('follows Sora with live models, each from another family, each making Sora’s 10 s for at most 100 credits', () => {
      const live = entries.slice(1);
      expect(live.length).toBeGreaterThanOrEqual(2);
      for (const entry of live) {
        if (!entry) throw new Error('missing entry');
        expect(isWithdrawn(entry), entry.id).toBe(false);
        expect(entry.durationsSeconds, entry.id).toContain(10);
        expect(typicalCredits(entry, 10), entry.id).toBeLessThanOrEqual(100);
      }
      const families = live.map((entry) => entry?.family ?? entry?.id);
      expect(new Set(families).size).toBe(families.length);
    });
  });
});
