import type { Keyv } from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KieClient, KieError } from '../../../src/services/kie/index.js';
import { createLogger } from '../../../src/services/logger.js';
import {
  ModelAvailability,
  type ModelAvailabilityOptions,
} from '../../../src/services/models/availability.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { startKieStandIn } from '../../support/kie/stand-in.js';

const SORA = 'sora-2-image-to-video';
const MINUTE = 60_000;
const registry = createModelRegistry();
const logger = createLogger('silent');

let keyv: Keyv;
let clock: number;

beforeEach(() => {
  keyv = openKeyv('sqlite://:memory:', { namespace: `availability-${Math.random().toString(36).slice(2)}` });
  clock = 1_800_000_000_000;
});

afterEach(async () => {
  await keyv.disconnect();
});

function availability(options: Partial<ModelAvailabilityOptions> = {}): ModelAvailability {
  return new ModelAvailability({ keyv, registry, logger, now: () => clock, ...options });
}

const disabled = (model: string) =>
  new KieError('feature-disabled', 'Kie createTask: feature disabled', {
    route: 'createTask',
    code: 505,
    detail: `The model ${model} is currently unavailable`,
    model,
  });

describe('ModelAvailability', () => {
  it('treats every model as available until Kie says otherwise', async () => {
    const models = availability();
    expect(await models.isAvailable(SORA)).toBe(true);
    expect(await models.unavailableUntil(SORA)).toBeUndefined();
  });

  it('marks a model Kie answered 505 for, for 30 minutes by default, in the shared store', async () => {
    const models = availability();
    expect(await models.noteFailure(disabled(SORA), SORA)).toBe(true);
    expect(await models.isAvailable(SORA)).toBe(false);
    expect(await models.unavailableUntil(SORA)).toBe(clock + 30 * MINUTE);
    expect(await keyv.get(`model-unavailable:${SORA}`)).toEqual({
      until: clock + 30 * MINUTE,
      markedAt: clock,
      reason: `The model ${SORA} is currently unavailable`,
    });
  });

  it('marks a 422 whose message says the model is not supported', async () => {
    const error = new KieError('validation', 'Kie createTask: invalid', {
      route: 'createTask',
      code: 422,
      detail: `model ${SORA} is not supported`,
    });
    expect(await availability().noteFailure(error, SORA)).toBe(true);
  });

  it('ignores failures that are not about the model', async () => {
    const models = availability();
    const busy = new KieError('rate-limited', 'Kie createTask: rate limited', {
      route: 'createTask',
      code: 429,
    });
    const field = new KieError('validation', 'Kie createTask: invalid', {
      route: 'createTask',
      code: 422,
      detail: 'duration: Invalid option',
    });
    expect(await models.noteFailure(busy, SORA)).toBe(false);
    expect(await models.noteFailure(field, SORA)).toBe(false);
    expect(await models.noteFailure(new Error('boom'), SORA)).toBe(false);
    expect(await models.isAvailable(SORA)).toBe(true);
  });

  it('makes the model available again once the time is up', async () => {
    const models = availability({ unavailableForMs: 5 * MINUTE, cacheMs: 0 });
    await models.markUnavailable(SORA);
    clock += 5 * MINUTE - 1;
    expect(await models.isAvailable(SORA)).toBe(false);
    clock += 1;
    expect(await models.isAvailable(SORA)).toBe(true);
    expect(await models.unavailableUntil(SORA)).toBeUndefined();
  });

  it('lets another shard see the mark once its cached read is older than cacheMs', async () => {
    const shardA = availability({ cacheMs: 10_000 });
    const shardB = availability({ cacheMs: 10_000 });
    expect(await shardB.isAvailable(SORA)).toBe(true);
    await shardA.markUnavailable(SORA, 'paused');
    expect(await shardB.isAvailable(SORA)).toBe(true);
    clock += 10_000;
    expect(await shardB.isAvailable(SORA)).toBe(false);
    expect(await availability().unavailableMark(SORA)).toMatchObject({ reason: 'paused' });
  });

  it('can forget a mark', async () => {
    const models = availability();
    await models.markUnavailable(SORA);
    await models.markAvailable(SORA);
    expect(await models.isAvailable(SORA)).toBe(true);
    expect(await availability().isAvailable(SORA)).toBe(true);
  });

  it('retires a stored value that does not parse and treats the model as available', async () => {
    await keyv.set(`model-unavailable:${SORA}`, { until: 'soon' });
    expect(await availability().isAvailable(SORA)).toBe(true);
    expect(await keyv.get(`model-unavailable:${SORA}`)).toBeUndefined();
    expect(await keyv.get(`retired:model-unavailable:${SORA}`)).toEqual({ until: 'soon' });
  });

  it('marks a model the Kie stand-in answers as withdrawn, through the real client', async () => {
    const kie = await startKieStandIn({ keys: { k: 100 }, fetchImages: false });
    const client = new KieClient({ apiUrl: kie.url, uploadUrl: kie.url, timeoutMs: 2000, logger });
    try {
      kie.withdrawModel(SORA);
      const error = await client
        .createTask('k', {
          model: SORA,
          input: { prompt: 'a cat', image_urls: ['https://cdn.example/cat.png'] },
        })
        .catch((err: unknown) => err);
      const models = availability();
      expect(await models.noteFailure(error, SORA)).toBe(true);
      expect(await models.isAvailable(SORA)).toBe(false);
    } finally {
      await client.close();
      await kie.close();
    }
  });
});

describe('alternatives', () => {
  it('lists the other available models, other families first, then closest, then cheapest', async () => {
    const models = availability();
    await models.markUnavailable(SORA);
    expect((await models.alternatives(SORA)).map((entry) => entry.id)).toEqual([
      // Take portrait / landscape and 10 s, like Sora 2; cheapest 10 s job first.
      'bytedance/seedance-1.5-pro',
      'bytedance/seedance-2-mini',
      'bytedance/seedance-2-fast',
      'wan/3-0-video',
      'bytedance/seedance-2',
      // Follow the image's shape, or (Veo) have no 10 s; cheapest 10 s job (or nearest) first.
      'grok-imagine/image-to-video',
      'runway',
      'hailuo/2-3-image-to-video-standard',
      'kling-2.6/image-to-video',
      'minimax-h3/image-to-video',
      'kling-3.0/video',
      'wan/2-6-image-to-video',
      'veo-3-1',
      // Same family: likely withdrawn with it.
      'sora-2-pro-image-to-video',
    ]);
  });

  it('leaves out models that are unavailable too, and honours a limit', async () => {
    const models = availability();
    await models.markUnavailable('bytedance/seedance-1.5-pro');
    await models.markUnavailable('bytedance/seedance-2-mini');
    expect((await models.alternatives(SORA, undefined, 2)).map((entry) => entry.id)).toEqual([
      'bytedance/seedance-2-fast',
      'wan/3-0-video',
    ]);
  });

  it('ranks by price when the model is not in the registry', async () => {
    const ids = (await availability().alternatives('acme/gone')).map((entry) => entry.id);
    expect(ids[0]).toBe('runway');
    expect(ids).toHaveLength(registry.list().length);
  });
});
