import { describe, expect, it } from 'vitest';
import { describeModel, formatModelChoice } from '../../../src/services/models/describe-model.js';
import type { ModelEntry } from '../../../src/services/models/model.js';
import {
  allowedDurations,
  aspectValue,
  chooseDuration,
  findUnsupportedOption,
  nearestDuration,
} from '../../../src/services/models/options.js';
import { model, options, registry } from './entries.js';

const sora = model('sora-2-image-to-video');
const soraPro = model('sora-2-pro-image-to-video');
const wan = model('wan/2-6-image-to-video');
const kling = model('kling-2.6/image-to-video');
const seedance = model('bytedance/seedance-1.5-pro');
const hailuo = model('hailuo/2-3-image-to-video-standard');
const grok = model('grok-imagine/image-to-video');
const veo = model('veo-3-1');

describe('every registry entry', () => {
  it.each(registry.list())('$id declares a consistent contract', (entry) => {
    expect(entry.durationsSeconds).toContain(entry.defaultDurationSeconds);
    for (const option of entry.extraOptions ?? []) expect(option.choices).toContain(option.default);
    if (entry.aspect === 'choice') expect(entry.aspectRatios).toBeDefined();
    const input = entry.buildInput({
      imageUrl: 'https://cdn.example/cat.png',
      options: options(entry.defaultDurationSeconds),
    });
    expect(Object.keys(input)).toContain(entry.image.field);
    expect(Object.values(input)).not.toContain(undefined);
  });

  it('lists Sora 2 first, then the September models, then the June ones', () => {
    expect(registry.list().map((entry) => entry.id)).toEqual([
      'sora-2-image-to-video',
      'sora-2-pro-image-to-video',
      'bytedance/seedance-2-mini',
      'bytedance/seedance-2-fast',
      'bytedance/seedance-2',
      'kling-3.0/video',
      'wan/3-0-video',
      'veo-3-1',
      'runway',
      'minimax-h3/image-to-video',
      'wan/2-6-image-to-video',
      'kling-2.6/image-to-video',
      'bytedance/seedance-1.5-pro',
      'hailuo/2-3-image-to-video-standard',
      'grok-imagine/image-to-video',
    ]);
  });
});

describe('nearestDuration', () => {
  it.each([
    [sora, 12, 10],
    [sora, 13, 15],
    [kling, 15, 10],
    [wan, 15, 15],
    [seedance, 15, 12],
    [seedance, 5, 4],
    [seedance, 1, 4],
    [hailuo, 15, 10],
    [grok, 5, 6],
    [grok, 40, 30],
    [veo, 10, 8],
    [veo, 5, 4],
  ] as const)(
    '%#: maps %s s to the closest offered value, the shorter on a tie',
    (entry, asked, expected) => {
      expect(nearestDuration(entry, asked)).toBe(expected);
    },
  );

  it('respects durations that an extra choice limits (Hailuo 1080P: 6 s only)', () => {
    expect(allowedDurations(hailuo, { resolution: '1080P' })).toEqual([6]);
    expect(nearestDuration(hailuo, 10, { resolution: '1080P' })).toBe(6);
  });
});

describe('chooseDuration', () => {
  it('refuses a duration the member asked for that the model does not offer, naming the allowed ones', () => {
    expect(chooseDuration(kling, 15, null)).toEqual({
      ok: false,
      problem: {
        key: 'models.duration.unsupported',
        params: { model: 'Kling 2.6', allowed: '5 / 10', asked: 15 },
      },
    });
  });

  it('maps a server default to the nearest offered duration and says from what', () => {
    expect(chooseDuration(kling, null, 15)).toEqual({ ok: true, seconds: 10, adjustedFrom: 15 });
    expect(chooseDuration(wan, undefined, 15)).toEqual({ ok: true, seconds: 15 });
  });

  it('falls back to the model default when nothing was asked', () => {
    expect(chooseDuration(seedance, null, null)).toEqual({ ok: true, seconds: 8 });
  });

  it('refuses 10 s at Hailuo 1080P', () => {
    expect(chooseDuration(hailuo, 10, null, { resolution: '1080P' })).toEqual({
      ok: false,
      problem: {
        key: 'models.option.durationConflict',
        params: { model: 'Hailuo 2.3', option: 'resolution', value: '1080P', allowed: '6' },
      },
    });
  });
});

describe('aspect mapping', () => {
  it('sends Sora its own portrait / landscape names', () => {
    expect(aspectValue(sora, 'portrait')).toBe('portrait');
    expect(aspectValue(soraPro, 'landscape')).toBe('landscape');
  });

  it('maps portrait / landscape to 9:16 / 16:9 where the model takes a ratio', () => {
    expect(aspectValue(seedance, 'portrait')).toBe('9:16');
    expect(aspectValue(seedance, 'landscape')).toBe('16:9');
    const input = seedance.buildInput({
      imageUrl: 'https://cdn.example/cat.png',
      options: { ...options(8), aspectRatio: 'portrait' },
    });
    expect(input.aspect_ratio).toBe('9:16');
  });

  it.each([wan, kling, hailuo, grok])('has no ratio for $label, which follows the image', (entry) => {
    expect(entry.aspect).toBe('image');
    expect(aspectValue(entry, 'portrait')).toBeUndefined();
    const input = entry.buildInput({
      imageUrl: 'https://cdn.example/cat.png',
      options: options(entry.defaultDurationSeconds),
    });
    expect(input).not.toHaveProperty('aspect_ratio');
  });
});

describe('findUnsupportedOption', () => {
  it('accepts declared choices', () => {
    expect(findUnsupportedOption(soraPro, options(15, { size: 'high' }))).toBeUndefined();
    expect(
      findUnsupportedOption(seedance, options(12, { generate_audio: true, resolution: '480p' })),
    ).toBeUndefined();
  });

  it('refuses an extra on a model that has none', () => {
    expect(findUnsupportedOption(sora, options(10, { size: 'high' }))).toEqual({
      key: 'models.option.none',
      params: { model: 'Sora 2' },
    });
  });

  it('refuses an option the model does not have, listing the ones it has', () => {
    expect(findUnsupportedOption(kling, options(5, { resolution: '1080p' }))).toEqual({
      key: 'models.option.unknown',
      params: { model: 'Kling 2.6', option: 'resolution', supported: 'sound' },
    });
  });

  it('refuses a value outside the choices, including one of the wrong type', () => {
    expect(findUnsupportedOption(grok, options(6, { mode: 'spicy' }))).toEqual({
      key: 'models.option.unsupported',
      params: { model: 'Grok Imagine', option: 'mode', value: 'spicy', allowed: 'normal / fun' },
    });
    expect(findUnsupportedOption(kling, options(5, { sound: 'true' }))?.key).toBe(
      'models.option.unsupported',
    );
  });

  it('refuses a duration the model does not offer', () => {
    expect(findUnsupportedOption(kling, options(15))?.key).toBe('models.duration.unsupported');
  });
});

describe('estimateCredits (kie-models.md price tables)', () => {
  it.each([
    [sora, 10, {}, 30],
    [sora, 15, {}, 45],
    [soraPro, 10, {}, 90],
    [soraPro, 15, { size: 'high' }, 400],
    [wan, 5, {}, 104.5],
    [wan, 15, { resolution: '720p' }, 210],
    [kling, 5, {}, 55],
    [kling, 10, { sound: true }, 220],
    [seedance, 8, {}, 28],
    [seedance, 12, { resolution: '1080p', generate_audio: true }, 180],
    [seedance, 4, { resolution: '480p' }, 7],
    [hailuo, 6, {}, 30],
    [hailuo, 10, {}, 50],
    [hailuo, 6, { resolution: '1080P' }, 50],
    // kie-models-2026-09.md §3.11 and §7: 2.4 / 4.5 / 8 per second.
    [grok, 6, {}, 14.4],
    [grok, 10, { resolution: '720p' }, 45],
    [grok, 30, { resolution: '1080p' }, 240],
  ] as const)('%#: %s s %j costs %s credits', (entry, seconds, extra, credits) => {
    expect(entry.estimateCredits(options(seconds, extra))).toBe(credits);
  });

  it('is undefined where no price exists or a choice is not the model’s', () => {
    expect(hailuo.estimateCredits(options(10, { resolution: '1080P' }))).toBeUndefined();
    expect(wan.estimateCredits(options(7))).toBeUndefined();
    expect(soraPro.estimateCredits(options(10, { size: 'ultra' }))).toBeUndefined();
    expect(seedance.estimateCredits(options(8, { resolution: '4k' }))).toBeUndefined();
  });
});

describe('describeModel', () => {
  it.each([
    [sora, 10, 15, { min: 30, max: 45 }],
    [soraPro, 10, 15, { min: 90, max: 400 }],
    [wan, 5, 15, { min: 70, max: 315 }],
    [kling, 5, 10, { min: 55, max: 220 }],
    [seedance, 4, 12, { min: 7, max: 180 }],
    [hailuo, 6, 10, { min: 30, max: 50 }],
    [grok, 6, 30, { min: 14.4, max: 240 }],
  ] as const)('%#: gives the duration and price range over every choice', (entry, min, max, credits) => {
    expect(describeModel(entry)).toMatchObject({
      id: entry.id,
      label: entry.label,
      minSeconds: min,
      maxSeconds: max,
      credits,
    });
  });

  it('formats a menu line in the member’s language, within Discord’s 100 characters', () => {
    expect(formatModelChoice(wan, 'en-US')).toBe('Wan 2.6 · 5/10/15 s · ~70–315 credits');
    expect(formatModelChoice(wan, 'zh-CN')).toBe('Wan 2.6 · 5/10/15 秒 · 约 70–315 积分');
    for (const entry of registry.list())
      expect(formatModelChoice(entry, 'en-US').length).toBeLessThanOrEqual(100);
  });

  it('says when a price is unknown', () => {
    const unpriced: ModelEntry = { ...wan, estimateCredits: () => undefined };
    expect(describeModel(unpriced).credits).toBeUndefined();
    expect(formatModelChoice(unpriced, 'en-US')).toBe('Wan 2.6 · 5/10/15 s · price unknown');
  });
});
