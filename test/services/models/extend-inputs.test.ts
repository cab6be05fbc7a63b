import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtendRequest } from '../../../src/services/jobs/job-record.js';
import type { KieClient, KieTask } from '../../../src/services/kie/index.js';
import {
  addedSecondsOf,
  buildExtendInput,
  estimateJob,
  extendPromptFor,
  kieTaskOf,
  whyNotExtendable,
} from '../../../src/services/models/extend.js';
import type { Receiver } from '../../support/kie/receiver.js';
import type { KieStandIn } from '../../support/kie/stand-in.js';
import { docLiteral } from './doc-literals.js';
import { model, options } from './entries.js';
import { finishedTask, startModelsStandIn, stopModelsStandIn } from './models-stand-in.js';

const grok = model('grok-imagine/image-to-video');
const veo = model('veo-3-1');
const runway = model('runway');

/** An extension of task `taskId` with the doc example's prompt, adding what the model adds by default. */
function extension(entryId: string, taskId: string, prompt: string, chain = 1): ExtendRequest {
  const support = model(entryId).extend;
  if (!support) throw new Error(`${entryId} has no extend`);
  return { taskId, prompt, addedSeconds: addedSecondsOf(support), chain };
}

/** The doc's example without the optional fields the bot leaves out, and why. */
function withoutOptional(literal: Record<string, unknown>, ...fields: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(literal).filter(([name]) => !fields.includes(name)));
}

describe('extend inputs, against kie-models-2026-09.md §4', () => {
  it('Grok: exactly the doc’s example (an empty prompt, extend_at 2, extend_times the string "6")', () => {
    const literal = docLiteral('GROK_EXTEND');
    const input = buildExtendInput(grok, options(6), extension(grok.id, String(literal.task_id), ''));
    expect(input).toStrictEqual(literal);
    expect(JSON.stringify(input)).toBe(JSON.stringify(literal));
  });

  it('Veo: the example’s task_id and prompt, with the same types; seeds left to Kie, no watermark text', () => {
    const literal = docLiteral('VEO_EXTEND');
    const input = buildExtendInput(
      veo,
      options(8),
      extension(veo.id, String(literal.task_id), String(literal.prompt)),
    );
    expect(input).toStrictEqual(withoutOptional(literal, 'seeds', 'watermark'));
  });

  it('Runway: the example with the source video’s quality; no watermark text', () => {
    const literal = docLiteral('RUNWAY_EXTEND');
    const request = extension(runway.id, String(literal.task_id), String(literal.prompt));
    expect(buildExtendInput(runway, options(5), request)).toStrictEqual(
      withoutOptional(literal, 'watermark'),
    );
    expect(buildExtendInput(runway, options(5, { quality: '1080p' }), request).quality).toBe('1080p');
  });

  it('a new video’s task is the model’s own; an extension’s is the extend call, with no image', () => {
    const job = { imageUrl: 'https://example.com/cat.png', options: options(6) };
    expect(kieTaskOf(grok, { ...job, extend: null }).model).toBe('grok-imagine/image-to-video');
    const extended = kieTaskOf(grok, { ...job, extend: extension(grok.id, 'task_1', 'the cat jumps') });
    expect(extended.model).toBe('grok-imagine/extend');
    expect(JSON.stringify(extended.input)).not.toContain('cat.png');
  });

  it('an empty prompt: nothing for Grok (it continues the motion), the video’s own prompt for Veo and Runway', () => {
    const [grokSupport, veoSupport, runwaySupport] = [grok.extend, veo.extend, runway.extend];
    if (!grokSupport || !veoSupport || !runwaySupport) throw new Error('no extend');
    expect(extendPromptFor(grokSupport, '  ', 'the cat waves')).toBe('');
    expect(extendPromptFor(veoSupport, '', 'the cat waves')).toBe('the cat waves');
    expect(extendPromptFor(runwaySupport, '', 'the cat waves')).toBe('the cat waves');
    expect(extendPromptFor(veoSupport, ' the cat jumps ', 'the cat waves')).toBe('the cat jumps');
  });

  it('an extension is priced as §4 prices it, not as a new video', () => {
    expect(estimateJob(grok, options(6), extension(grok.id, 't', ''))).toBe(14.4);
    expect(estimateJob(grok, options(6), null)).toBe(14.4);
    expect(estimateJob(grok, options(10, { resolution: '720p' }), extension(grok.id, 't', ''))).toBe(27);
    expect(estimateJob(veo, options(8, { resolution: '720p' }), extension(veo.id, 't', 'p'))).toBe(250);
    expect(estimateJob(runway, options(5), extension(runway.id, 't', 'p'))).toBeUndefined();
  });

  it('says when a video cannot be extended: no native extend, the chain’s limit, Veo at 1080p', () => {
    expect(whyNotExtendable(model('sora-2-image-to-video'), { options: options(10), extend: null })).toEqual({
      reason: 'no-extend',
    });
    const max = grok.extend?.maxExtensions ?? 0;
    expect(max).toBeGreaterThan(0);
    const at = (chain: number) => ({ options: options(6), extend: extension(grok.id, 't', '', chain) });
    expect(whyNotExtendable(grok, at(max - 1))).toBeUndefined();
    expect(whyNotExtendable(grok, at(max))).toEqual({ reason: 'limit', max });
    expect(whyNotExtendable(veo, { options: options(8, { resolution: '1080p' }), extend: null })).toEqual({
      reason: 'not-from',
      value: '1080p',
    });
    expect(whyNotExtendable(veo, { options: options(8), extend: null })).toBeUndefined();
  });
});

describe('extend calls against the Kie stand-in', () => {
  const KEY = 'extend-stand-in-key-9c1d';
  let kie: KieStandIn;
  let host: Receiver;
  let client: KieClient;
  let imageUrl: string;

  beforeEach(async () => {
    ({ kie, host, client, imageUrl } = await startModelsStandIn({ [KEY]: 10_000, 'another-key': 10_000 }));
  });

  afterEach(() => stopModelsStandIn({ kie, host, client }));

  const finished = (taskId: string): Promise<KieTask> => finishedTask(client, KEY, taskId);

  const grokSupport = () => {
    if (!grok.extend) throw new Error('Grok has no extend');
    return grok.extend;
  };

  /** A finished video of `entryId` made with `extra`, then its extension (and the extension's). */
  async function madeThenExtended(entryId: string, extra: Record<string, string> = {}) {
    const entry = model(entryId);
    const source = { imageUrl: imageUrl, options: options(entry.defaultDurationSeconds, extra) };
    const first = await client.createTask(KEY, kieTaskOf(entry, { ...source, extend: null }));
    expect((await finished(first.taskId)).state).toBe('success');
    // Left empty by the member: what the bot sends then.
    const empty = extendPromptFor(entry.extend ?? grokSupport(), '', source.options.prompt);
    const once = await client.createTask(
      KEY,
      kieTaskOf(entry, { ...source, extend: extension(entryId, first.taskId, empty) }),
    );
    const onceDone = await finished(once.taskId);
    const twice = await client.createTask(
      KEY,
      kieTaskOf(entry, { ...source, extend: extension(entryId, once.taskId, 'and again', 2) }),
    );
    return { once: onceDone, twice: await finished(twice.taskId) };
  }

  it.each([grok.id, veo.id, runway.id])('%s: an extension and an extension of it make videos', async (id) => {
    const { once, twice } = await madeThenExtended(id);
    expect(once.state).toBe('success');
    expect(once.resultUrls[0]).toMatch(/\.mp4$/);
    expect(twice.state).toBe('success');
    // No image fetched for an extension: the video is Kie's own.
    const extendTasks = [...kie.tasks.values()].filter((task) => task.model === model(id).extend?.model);
    expect(extendTasks).toHaveLength(2);
    expect(extendTasks.every((task) => task.imageFetch === undefined)).toBe(true);
  });

  it('refuses a source that is not a finished task of this key and family, and Veo at 1080p', async () => {
    const image = { imageUrl: imageUrl, extend: null };
    const grokTask = await client.createTask(KEY, kieTaskOf(grok, { ...image, options: options(6) }));
    const veoTask = await client.createTask(
      KEY,
      kieTaskOf(veo, { ...image, options: options(8, { resolution: '1080p' }) }),
    );
    await finished(grokTask.taskId);
    await finished(veoTask.taskId);
    const extend = (entryId: string, taskId: string, key = KEY) =>
      client
        .createTask(
          key,
          kieTaskOf(model(entryId), {
            ...image,
            options: options(8),
            extend: extension(entryId, taskId, 'p'),
          }),
        )
        .then(
          () => 'accepted',
          (error: { detail?: string }) => error.detail,
        );
    expect(await extend(grok.id, 'task_unknown')).toMatch(/task_id: task not found/);
    expect(await extend(grok.id, grokTask.taskId, 'another-key')).toMatch(/task_id: task not found/);
    expect(await extend(runway.id, grokTask.taskId)).toMatch(/cannot be extended with runway/);
    expect(await extend(veo.id, veoTask.taskId)).toMatch(/1080P cannot be extended/);
    expect(await extend(grok.id, grokTask.taskId)).toBe('accepted');
  });

  it('refuses an extend input that strays from the doc: a number for extend_times, a missing quality', async () => {
    const first = await client.createTask(
      KEY,
      kieTaskOf(grok, { imageUrl: imageUrl, options: options(6), extend: null }),
    );
    await finished(first.taskId);
    const refused = (model: string, input: Record<string, unknown>) =>
      client.createTask(KEY, { model, input }).then(
        () => 'accepted',
        (error: { detail?: string }) => error.detail,
      );
    const grokInput = { task_id: first.taskId, prompt: '', extend_at: 2 };
    expect(await refused('grok-imagine/extend', { ...grokInput, extend_times: 6 })).toMatch(/extend_times/);
    expect(await refused('runway/extend-ai-video', { task_id: first.taskId, prompt: 'p' })).toMatch(
      /quality/,
    );
    expect(await refused('grok-imagine/extend', { ...grokInput, extend_times: '6', seeds: 1 })).toMatch(
      /seeds/,
    );
  });
});
