import { describe, expect, it } from 'vitest';
import type { JobOptions } from '../../../src/services/jobs/job-record.js';
import { describeChoice, formatModelChoice } from '../../../src/services/models/describe-model.js';
import { isWithdrawn, type ModelEntry } from '../../../src/services/models/model.js';
import {
  allowedDurations,
  chooseDuration,
  findUnsupportedOption,
  formatDurations,
} from '../../../src/services/models/options.js';
import { docLiteral } from './doc-literals.js';
import { model, options, registry } from './entries.js';

/** Every combination of an entry's extra choices. */
function extraCombinations(entry: ModelEntry): JobOptions['extra'][] {
  return (entry.extraOptions ?? []).reduce<JobOptions['extra'][]>(
    (combos, option) =>
      combos.flatMap((combo) => option.choices.map((value) => ({ ...combo, [option.name]: value }))),
    [{}],
  );
}

describe('September prices (kie-models-2026-09.md §2, §3, §7)', () => {
  it.each([
    // §2's 10 s clip at 720p, and the per-second tables.
    ['bytedance/seedance-2-mini', 10, {}, 82],
    ['bytedance/seedance-2-mini', 10, { resolution: '480p' }, 38],
    ['bytedance/seedance-2-mini', 10, { generate_audio: false }, 82],
    ['bytedance/seedance-2-fast', 10, {}, 248],
    ['bytedance/seedance-2-fast', 10, { resolution: '480p' }, 117],
    ['bytedance/seedance-2', 10, {}, 410],
    ['bytedance/seedance-2', 10, { resolution: '4k' }, 2080],
    ['kling-3.0/video', 10, { mode: 'std' }, 140],
    ['kling-3.0/video', 10, { mode: 'std', sound: true }, 200],
    ['kling-3.0/video', 10, {}, 180],
    ['kling-3.0/video', 10, { sound: true }, 270],
    ['kling-3.0/video', 10, { mode: '4K' }, 670],
    ['wan/3-0-video', 10, { resolution: '720P' }, 160],
    ['wan/3-0-video', 10, { resolution: '480P', audio: false }, 80],
    ['wan/3-0-video', 10, {}, 320],
    // Per clip, at the dearest tier (Quality): the tier is not ours to pick.
    ['veo-3-1', 8, {}, 250],
    ['veo-3-1', 4, { resolution: '1080p' }, 255],
    ['veo-3-1', 6, { resolution: '4k' }, 370],
    ['runway', 5, {}, 12],
    ['runway', 10, {}, 30],
    ['runway', 5, { quality: '1080p' }, 30],
    // Per second plus 4 for the one image.
    ['minimax-h3/image-to-video', 10, { resolution: '768P' }, 84],
    ['minimax-h3/image-to-video', 10, {}, 134],
  ] as const)('%s, %s s, %j: %s credits', (id, seconds, extra, credits) => {
    expect(model(id).estimateCredits(options(seconds, extra))).toBe(credits);
  });

  it.each(registry.list().filter((entry) => !isWithdrawn(entry)))(
    '$label prices every duration and choice it offers, so no job escapes a confirm threshold',
    (entry) => {
      for (const extra of extraCombinations(entry)) {
        for (const seconds of allowedDurations(entry, extra)) {
          expect(
            entry.estimateCredits(options(seconds, extra)),
            `${seconds} s ${JSON.stringify(extra)}`,
          ).toBeTypeOf('number');
        }
      }
    },
  );

  it('refuses Runway for 10 s at 1080p before any Kie call', () => {
    expect(findUnsupportedOption(model('runway'), options(10, { quality: '1080p' }))?.key).toBe(
      'models.option.durationConflict',
    );
  });
});

describe('shapes', () => {
  const follow = { aspectFromImage: true, aspectRatio: 'portrait' } as const;
  const chosen = { aspectFromImage: false, aspectRatio: 'portrait' } as const;
  const input = (id: string, more: Partial<JobOptions>) =>
    model(id).buildInput({
      imageUrl: 'https://cdn.example/cat.png',
      options: options(model(id).defaultDurationSeconds, {}, more),
    });

  it.each([
    ['bytedance/seedance-2-mini', 'adaptive', '9:16'],
    ['wan/3-0-video', 'adaptive', '9:16'],
    ['veo-3-1', 'Auto', '9:16'],
  ])(
    '%s follows the image with “%s” when nobody chose, and takes a chosen portrait as %s',
    (id, auto, ratio) => {
      expect(input(id, follow).aspect_ratio).toBe(auto);
      expect(input(id, chosen).aspect_ratio).toBe(ratio);
    },
  );

  it.each(['kling-3.0/video', 'runway'])('%s follows the image and is sent the image’s own shape', (id) => {
    expect(model(id).aspect).toBe('image');
    expect(input(id, follow).aspect_ratio).toBe('9:16');
    expect(input(id, { aspectFromImage: true, aspectRatio: 'landscape' }).aspect_ratio).toBe('16:9');
  });
});

describe('what the registry records for the next features', () => {
  it('marks Sora 2 and Sora 2 Pro withdrawn from Kie since 2026-09-24, and nothing else', () => {
    const withdrawn = registry.list().filter(isWithdrawn);
    expect(withdrawn.map((entry) => [entry.id, entry.status])).toEqual([
      ['sora-2-image-to-video', { state: 'withdrawn', since: '2026-09-24' }],
      ['sora-2-pro-image-to-video', { state: 'withdrawn', since: '2026-09-24' }],
    ]);
  });

  it('records the last frame of each model as §5 has it', () => {
    const endFrames = Object.fromEntries(
      registry
        .list()
        .map((entry) => [entry.id, entry.endFrame && `${entry.endFrame.via} ${entry.endFrame.field}`]),
    );
    expect(endFrames).toEqual({
      'sora-2-image-to-video': undefined,
      'sora-2-pro-image-to-video': undefined,
      'bytedance/seedance-2-mini': 'field last_frame_url',
      'bytedance/seedance-2-fast': 'field last_frame_url',
      'bytedance/seedance-2': 'field last_frame_url',
      'kling-3.0/video': 'second-image image_urls',
      'wan/3-0-video': 'field last_frame_url',
      'veo-3-1': 'second-image image_urls',
      runway: undefined,
      'minimax-h3/image-to-video': 'field last_frame_url',
      'wan/2-6-image-to-video': undefined,
      'kling-2.6/image-to-video': undefined,
      'bytedance/seedance-1.5-pro': 'second-image input_urls',
      'hailuo/2-3-image-to-video-standard': undefined,
      'grok-imagine/image-to-video': undefined,
    });
    expect(model('kling-3.0/video').endFrame?.notWith).toEqual({ multi_shots: true });
    expect(model('veo-3-1').endFrame?.alsoSend).toEqual({ generation_type: 'FIRST_AND_LAST_FRAMES_2_VIDEO' });
    expect(model('minimax-h3/image-to-video').endFrame?.creditsPerImage).toBe(4);
    expect(model('bytedance/seedance-1.5-pro').endFrame?.confidence).toBe('M');
  });

  it.each([
    ['grok-imagine/image-to-video', 'grok-imagine/extend', 'GROK_EXTEND'],
    ['veo-3-1', 'veo/extend', 'VEO_EXTEND'],
    ['runway', 'runway/extend-ai-video', 'RUNWAY_EXTEND'],
  ] as const)('%s extends with %s, whose fields match the doc’s example', (id, extendModel, literal) => {
    const extend = model(id).extend;
    expect(extend?.model).toBe(extendModel);
    const example = docLiteral(literal);
    const declared = [extend?.sourceField, ...Object.keys(extend?.fields ?? {})];
    expect(Object.keys(example).sort()).toEqual([...declared].sort());
    const required = Object.entries(extend?.fields ?? {}).filter(([, field]) => field.required);
    for (const [name, field] of required) {
      expect(typeof example[name], name).toBe(field.type === 'string' ? 'string' : 'number');
      if (field.values) expect(field.values).toContain(example[name]);
    }
  });

  it('has no native extend elsewhere (§4)', () => {
    const extendable = registry
      .list()
      .filter((entry) => entry.extend)
      .map((entry) => entry.id);
    expect(extendable.sort()).toEqual(['grok-imagine/image-to-video', 'runway', 'veo-3-1']);
  });

  it('prices extends as §4 does, and says which sources cannot be extended', () => {
    const grok = model('grok-imagine/image-to-video').extend;
    expect(grok?.estimateCredits(options(6), 6)).toBe(14.4);
    expect(grok?.estimateCredits(options(6, { resolution: '720p' }), 10)).toBe(45);
    expect(grok?.estimateCredits(options(6, { resolution: '1080p' }), 6)).toBeUndefined();
    expect(model('veo-3-1').extend?.notFrom).toEqual({ option: 'resolution', values: ['1080p'] });
    expect(model('runway').extend?.estimateCredits(options(5), undefined)).toBeUndefined();
  });
});

describe('durations and choices as members read them', () => {
  it.each([
    [[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], '4–15'],
    [[5, 10, 15], '5/10/15'],
    [[4, 6, 8, 10, 12], '4/6/8/10/12'],
    [[1, 2, 4, 5, 6], '1/2/4–6'],
    [[10], '10'],
  ])('%j reads %s', (seconds, text) => {
    expect(formatDurations(seconds)).toBe(text);
  });

  it('fits a 2–30 s model in one menu line and one refusal', () => {
    const wan3 = model('wan/3-0-video');
    expect(formatModelChoice(wan3, 'en-US')).toBe('Wan 3.0 · 2–30 s · ~16–960 credits');
    expect(chooseDuration(wan3, 40, null)).toMatchObject({
      ok: false,
      problem: { params: { allowed: '2–30', asked: 40 } },
    });
  });

  it('names Kling 3.0’s modes by resolution, in both languages', () => {
    const mode = model('kling-3.0/video').extraOptions?.find((option) => option.name === 'mode');
    if (!mode) throw new Error('no mode');
    expect(mode.choices.map((choice) => describeChoice(mode, choice, 'en-US'))).toEqual([
      '720p (standard)',
      '1080p (pro)',
      '4K (ultra HD)',
    ]);
    expect(describeChoice(mode, 'pro', 'zh-CN')).toBe('1080p（专业）');
  });

  it('reads booleans as on/off and leaves plain values as they are', () => {
    const [resolution, sound] = model('kling-3.0/video').extraOptions ?? [];
    if (!resolution || !sound) throw new Error('no options');
    expect(describeChoice(sound, true, 'zh-CN')).toBe('开');
    const wanResolution = model('wan/3-0-video').extraOptions?.[0];
    if (!wanResolution) throw new Error('no resolution');
    expect(describeChoice(wanResolution, '720P', 'en-US')).toBe('720P');
  });
});
