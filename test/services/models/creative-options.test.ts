import { describe, expect, it } from 'vitest';
import { resolveModelOptions } from '../../../src/services/jobs/model-options.js';
import { buildTaskInput, endFrameProblem } from '../../../src/services/models/end-frame.js';
import { isWithdrawn } from '../../../src/services/models/model.js';
import { namedChoicesOf, namedExtra, withNamedChoices } from '../../../src/services/models/named-options.js';
import { expectedInput, OUR_PROMPT } from './doc-cases.js';
import { END_FRAME_CASES } from './end-frame-cases.js';
import { model, options, registry } from './entries.js';

const FIRST = 'https://tempfile.example/first.png';
const LAST = 'https://tempfile.example/last.png';
const catalogue = registry.list();
const NO_DEFAULTS = { aspectRatio: null, durationSeconds: null, removeWatermark: null };
const ASKED_NOTHING = { aspectRatio: null, durationSeconds: null, removeWatermark: null, modelOption: null };
const LANDSCAPE = { width: 16, height: 9 };

describe('last frames (kie-models-2026-09.md §5)', () => {
  it('has a case against the doc for every entry that takes a last frame', () => {
    const takers = registry.list().filter((entry) => entry.endFrame);
    expect(new Set(END_FRAME_CASES.map((c) => c.model))).toEqual(new Set(takers.map((entry) => entry.id)));
  });

  it.each(END_FRAME_CASES)('$name', (c) => {
    const end = c.options.endFrame === 'loop' ? FIRST : LAST;
    const input = buildTaskInput(model(c.model), {
      imageUrl: FIRST,
      endImage: c.options.endFrame === 'image' ? { url: LAST } : null,
      options: options(5, {}, { ...c.options, prompt: OUR_PROMPT }),
    });
    expect(input).toStrictEqual(expectedInput(c, FIRST, end));
  });

  it('sends no last frame when none is asked, whatever the model takes', () => {
    for (const entry of registry.list()) {
      const job = { imageUrl: FIRST, endImage: null, options: options(entry.defaultDurationSeconds) };
      expect(buildTaskInput(entry, job)).toStrictEqual(entry.buildInput(job));
    }
  });

  it('refuses a model without a last frame by name, listing the live models that take one', () => {
    const problem = endFrameProblem(model('kling-2.6/image-to-video'), 'image', catalogue);
    expect(problem).toEqual({
      key: 'models.endFrame.unsupported',
      params: {
        model: 'Kling 2.6',
        option: 'end_image',
        models:
          'Seedance 2 Mini, Seedance 2 Fast, Seedance 2, Kling 3.0, Wan 3.0, Veo 3.1, MiniMax H3, Seedance 1.5 Pro',
      },
    });
    expect(endFrameProblem(model('runway'), 'loop', catalogue)?.params.option).toBe('loop');
    expect(endFrameProblem(model('wan/3-0-video'), 'loop', catalogue)).toBeUndefined();
    expect(() =>
      resolveModelOptions(
        model('sora-2-image-to-video'),
        { ...ASKED_NOTHING, endFrame: 'loop' },
        NO_DEFAULTS,
        LANDSCAPE,
      ),
    ).toThrow(expect.objectContaining({ key: 'models.endFrame.unsupported' }));
  });

  it('never builds a last frame for a model without one (a bug, not a video without it)', () => {
    const job = { imageUrl: FIRST, endImage: { url: LAST }, options: options(10, {}, { endFrame: 'image' }) };
    expect(() => buildTaskInput(model('runway'), job)).toThrow(/takes no last frame/);
    const lost = { imageUrl: FIRST, endImage: null, options: options(6, {}, { endFrame: 'image' }) };
    expect(() => buildTaskInput(model('minimax-h3/image-to-video'), lost)).toThrow(/no end image/);
  });

  it('prices MiniMax H3’s second image (+4 credits, §3.10), a loop’s too', () => {
    const minimax = model('minimax-h3/image-to-video');
    expect(minimax.estimateCredits(options(10))).toBe(134);
    expect(minimax.estimateCredits(options(10, {}, { endFrame: 'image' }))).toBe(138);
    expect(minimax.estimateCredits(options(10, { resolution: '768P' }, { endFrame: 'loop' }))).toBe(88);
  });
});

describe('named options: sound and camera', () => {
  it('are off/on extras, each naming the Kie field it sets', () => {
    const named = registry
      .list()
      .flatMap((entry) =>
        (entry.extraOptions ?? [])
          .filter((option) => option.named)
          .map((option) => [entry.id, option] as const),
      );
    expect(named.map(([id, option]) => `${id} ${option.named}→${option.name}`)).toEqual([
      'bytedance/seedance-2-mini sound→generate_audio',
      'bytedance/seedance-2-fast sound→generate_audio',
      'bytedance/seedance-2 sound→generate_audio',
      'kling-3.0/video sound→sound',
      'wan/3-0-video sound→audio',
      'kling-2.6/image-to-video sound→sound',
      'bytedance/seedance-1.5-pro sound→generate_audio',
      'bytedance/seedance-1.5-pro camera→fixed_lens',
    ]);
    for (const [, option] of named) expect(option.choices).toEqual([false, true]);
  });

  it('puts sound in the model’s own field, and the estimate follows its price (Kling 2.6: 55 → 110)', () => {
    const kling = model('kling-2.6/image-to-video');
    const resolved = resolveModelOptions(kling, { ...ASKED_NOTHING, sound: true }, NO_DEFAULTS, LANDSCAPE);
    expect(resolved.extra).toEqual({ sound: true });
    const job = { prompt: 'a cat', ...resolved };
    expect(kling.buildInput({ imageUrl: FIRST, options: job })).toMatchObject({ sound: true });
    expect(kling.estimateCredits(job)).toBe(110);
    expect(kling.estimateCredits({ ...job, extra: {} })).toBe(55);
    const seedance = resolveModelOptions(
      model('bytedance/seedance-2-mini'),
      { ...ASKED_NOTHING, sound: false },
      NO_DEFAULTS,
      LANDSCAPE,
    );
    expect(seedance.extra).toEqual({ generate_audio: false });
    const wan = resolveModelOptions(
      model('wan/3-0-video'),
      { ...ASKED_NOTHING, sound: true },
      NO_DEFAULTS,
      LANDSCAPE,
    );
    expect(wan.extra).toEqual({ audio: true });
  });

  it('locks the camera through Seedance 1.5’s fixed_lens', () => {
    const seedance = model('bytedance/seedance-1.5-pro');
    const fixed = resolveModelOptions(
      seedance,
      { ...ASKED_NOTHING, camera: 'fixed' },
      NO_DEFAULTS,
      LANDSCAPE,
    );
    expect(seedance.buildInput({ imageUrl: FIRST, options: { prompt: 'a cat', ...fixed } })).toMatchObject({
      fixed_lens: true,
    });
    const free = resolveModelOptions(seedance, { ...ASKED_NOTHING, camera: 'free' }, NO_DEFAULTS, LANDSCAPE);
    expect(free.extra).toEqual({ fixed_lens: false });
  });

  it('refuses a model without the option by name, with the live models that have it', () => {
    expect(withNamedChoices(model('runway'), { sound: true }, {}, catalogue)).toEqual({
      ok: false,
      problem: {
        key: 'models.named.unsupported',
        params: {
          model: 'Runway',
          option: 'sound',
          models:
            'Seedance 2 Mini, Seedance 2 Fast, Seedance 2, Kling 3.0, Wan 3.0, Kling 2.6, Seedance 1.5 Pro',
        },
      },
    });
    const camera = withNamedChoices(model('kling-3.0/video'), { camera: 'fixed' }, {}, catalogue);
    expect(camera).toMatchObject({
      ok: false,
      problem: { params: { option: 'camera', models: 'Seedance 1.5 Pro' } },
    });
    // Sora is withdrawn: never offered as a model that can.
    expect(catalogue.filter(isWithdrawn).some((entry) => namedExtra(entry, 'sound'))).toBe(false);
  });

  it('refuses a model_option that says otherwise than the named option', () => {
    const asked = { ...ASKED_NOTHING, sound: true, modelOption: 'sound=false' };
    expect(() =>
      resolveModelOptions(model('kling-2.6/image-to-video'), asked, NO_DEFAULTS, LANDSCAPE),
    ).toThrow(expect.objectContaining({ key: 'models.named.conflict' }));
    const same = { ...ASKED_NOTHING, sound: true, modelOption: 'sound=true' };
    expect(
      resolveModelOptions(model('kling-2.6/image-to-video'), same, NO_DEFAULTS, LANDSCAPE).extra,
    ).toEqual({
      sound: true,
    });
  });

  it('reads a job’s choices back in named terms, for another model to honour', () => {
    expect(namedChoicesOf(model('kling-2.6/image-to-video'), { sound: true })).toEqual({ sound: true });
    expect(
      namedChoicesOf(model('bytedance/seedance-1.5-pro'), { fixed_lens: true, generate_audio: false }),
    ).toEqual({
      sound: false,
      camera: 'fixed',
    });
    expect(namedChoicesOf(model('runway'), { quality: '1080p' })).toEqual({});
  });
});
