import { describe, expect, it } from 'vitest';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { animateForm, type FormAnswers, readAnimateForm } from '../../../src/services/render/animate-form.js';

const models = createModelRegistry();
const BLANK: FormAnswers = { prompt: 'the cat waves', model: [], duration: '', shape: [], extras: [] };
const read = (answers: Partial<FormAnswers>) => readAnimateForm(models, { ...BLANK, ...answers });

describe('the Animate form', () => {
  it('offers the models Kie still documents, each with its durations and price, and no withdrawn one', () => {
    const form = animateForm(models, 'en-US', 'a1b2c3d4e5f60718');
    expect(form.custom_id).toBe('animate-form:a1b2c3d4e5f60718');
    const menu = form.components[1] as {
      component: { options: Array<{ value: string; description: string }> };
    };
    const values = menu.component.options.map((option) => option.value);
    expect(values).not.toContain('sora-2-image-to-video');
    expect(values).toHaveLength(models.list().length - 2);
    expect(
      menu.component.options.find((option) => option.value === 'kling-2.6/image-to-video')?.description,
    ).toBe('Kling 2.6 · 5/10 s · ~55–220 credits');
  });

  it('reads a blank form as /animate with nothing but the prompt', () => {
    expect(read({})).toEqual({
      prompt: 'the cat waves',
      model: null,
      aspectRatio: null,
      durationSeconds: null,
      removeWatermark: null,
      sound: null,
      camera: null,
      loop: false,
    });
  });

  it('reads every choice', () => {
    expect(
      read({
        model: ['wan/3-0-video'],
        duration: ' 12 ',
        shape: ['portrait'],
        extras: ['sound:off', 'camera:fixed', 'loop'],
      }),
    ).toMatchObject({
      model: 'wan/3-0-video',
      durationSeconds: 12,
      aspectRatio: 'portrait',
      sound: false,
      camera: 'fixed',
      loop: true,
    });
  });

  it.each([
    ['an unknown model', { model: ['gpt-video'] }, 'error.badOptions'],
    ['two models', { model: ['runway', 'veo-3-1'] }, 'error.badOptions'],
    ['a shape that is not offered', { shape: ['square'] }, 'error.badOptions'],
    ['an unknown extra', { extras: ['nsfw:off'] }, 'error.badOptions'],
    ['sound on and off', { extras: ['sound:on', 'sound:off'] }, 'form.conflict'],
    ['a fixed and a moving camera', { extras: ['camera:fixed', 'camera:free'] }, 'form.conflict'],
    ['a duration in words', { duration: 'ten' }, 'form.badDuration'],
    ['a fractional duration', { duration: '5.5' }, 'form.badDuration'],
  ] as const)('refuses %s by name, before anything is noted', (_what, answers, key) => {
    expect(() => read(answers as Partial<FormAnswers>)).toThrow(expect.objectContaining({ key }));
  });
});
