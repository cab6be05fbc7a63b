import { Keyv } from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { KieClient, KieError, keyId } from '../../../src/services/kie/index.js';
import {
  ModelAvailability,
  type ModelAvailabilityOptions,
} from '../../../src/services/models/availability.js';
import { isWithdrawn } from '../../../src/services/models/model.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { startKieStandIn } from '../../support/kie/stand-in.js';

const SORA = 'sora-2-image-to-video';
const MINUTE = 60_000;
// Two servers, each with its own Kie key, and a third server.
const KEY_A = 'kie-key-of-server-a-0000000001';
const KEY_B = 'kie-key-of-server-b-0000000002';
const KEY_C = 'kie-key-of-server-c-0000000003';
const GUILD_A = '100000000000000001';
const GUILD_B = '100000000000000002';
const GUILD_C = '100000000000000003';
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

const invalid = (detail: string) =>
  new KieError('validation', 'Kie createTask: request rejected as invalid', {
    route: 'createTask',
    code: 422,
    detail,
  });

describe('ModelAvailability, per Kie key', () => {
  it('treats every model as available for any key until Kie says otherwise', async () => {
    const models = availability();
    expect(await models.isAvailable(SORA, KEY_A)).toBe(true);
    expect(await models.unavailableMark(SORA, KEY_A)).toBeUndefined();
  });

  it("marks a model for the key Kie refused it to, and not for another server's key", async () => {
    const models = availability();
    expect(await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A)).toBe(true);
    expect(await models.unavailableMark(SORA, KEY_A)).toEqual({
      scope: 'key',
      until: clock + 30 * MINUTE,
      markedAt: clock,
      reason: `The model ${SORA} is currently unavailable`,
    });
    expect(await models.isAvailable(SORA, KEY_B)).toBe(true);
    // Another shard, reading the shared store, agrees.
    expect(await availability().isAvailable(SORA, KEY_A)).toBe(false);
    expect(await availability().isAvailable(SORA, KEY_B)).toBe(true);
  });

  it('stores marks under a hash of the key, never the key itself', async () => {
    const store = new Map<string, unknown>();
    const mapKeyv = new Keyv({ store, namespace: 'marks' });
    const models = availability({ keyv: mapKeyv });
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A);
    await models.noteFailure(disabled(SORA), SORA, KEY_B, GUILD_B);
    await models.markAvailable(SORA, KEY_A);
    const dump = JSON.stringify([...store.entries()]);
    expect(dump).toContain(keyId(KEY_A));
    expect(dump).not.toContain(KEY_A);
    expect(dump).not.toContain(KEY_B);
  });

  it('does not mark a model for a field error that names it ("Invalid prompt for model …")', async () => {
    const models = availability();
    expect(await models.noteFailure(invalid(`Invalid prompt for model ${SORA}`), SORA, KEY_A, GUILD_A)).toBe(
      false,
    );
    expect(
      await models.noteFailure(invalid(`model ${SORA}: field image_urls is required`), SORA, KEY_A, GUILD_A),
    ).toBe(false);
    expect(await models.noteFailure(invalid('duration: Invalid option'), SORA, KEY_A, GUILD_A)).toBe(false);
    const busy = new KieError('rate-limited', 'Kie createTask: rate limited', {
      route: 'createTask',
      code: 429,
    });
    expect(await models.noteFailure(busy, SORA, KEY_A, GUILD_A)).toBe(false);
    expect(await models.noteFailure(new Error('boom'), SORA, KEY_A, GUILD_A)).toBe(false);
    expect(await models.isAvailable(SORA, KEY_A)).toBe(true);
  });

  it('marks every key once the keys of two servers agree within 30 minutes', async () => {
    const models = availability();
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A);
    expect(await models.isAvailable(SORA, KEY_C)).toBe(true);
    clock += 29 * MINUTE;
    await models.noteFailure(disabled(SORA), SORA, KEY_B, GUILD_B);
    expect(await models.unavailableMark(SORA, KEY_C)).toMatchObject({
      scope: 'global',
      until: clock + 30 * MINUTE,
      reason: `The model ${SORA} is currently unavailable`,
    });
    // A key's own mark comes first.
    expect(await models.unavailableMark(SORA, KEY_B)).toMatchObject({ scope: 'key' });
    clock += 30 * MINUTE;
    expect(await availability().isAvailable(SORA, KEY_C)).toBe(true);
  });

  it('needs two different servers and two different keys for a global mark, within the window', async () => {
    const models = availability({ cacheMs: 0 });
    const PRO = 'sora-2-pro-image-to-video';
    // One key shared by two servers is one Kie account's answer.
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A);
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_B);
    expect(await models.isAvailable(SORA, KEY_C)).toBe(true);
    // One server that changed its key is still one server.
    await models.noteFailure(disabled(PRO), PRO, KEY_A, GUILD_A);
    await models.noteFailure(disabled(PRO), PRO, KEY_B, GUILD_A);
    expect(await models.isAvailable(PRO, KEY_C)).toBe(true);
    // A refusal older than the window does not count.
    clock += 31 * MINUTE;
    await models.noteFailure(disabled(SORA), SORA, KEY_C, GUILD_C);
    expect(await models.isAvailable(SORA, 'some-other-key-0000000004')).toBe(true);
  });

  it('lets an admin try a model again for their key only, even over a global mark', async () => {
    const models = availability();
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A);
    await models.noteFailure(disabled(SORA), SORA, KEY_B, GUILD_B);
    clock += 1;
    await models.markAvailable(SORA, KEY_A);
    expect(await models.isAvailable(SORA, KEY_A)).toBe(true);
    expect(await availability().isAvailable(SORA, KEY_A)).toBe(true);
    expect(await models.unavailableMark(SORA, KEY_B)).toMatchObject({ scope: 'key' });
    expect(await models.unavailableMark(SORA, KEY_C)).toMatchObject({ scope: 'global' });
    // Refused again: marked again.
    clock += 1;
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A);
    expect(await models.unavailableMark(SORA, KEY_A)).toMatchObject({ scope: 'key' });
  });

  it('lifts a global mark once Kie runs the model for some key', async () => {
    const models = availability();
    await models.noteFailure(disabled(SORA), SORA, KEY_A, GUILD_A);
    await models.noteFailure(disabled(SORA), SORA, KEY_B, GUILD_B);
    await models.markAvailable(SORA, KEY_A);
    await models.noteSuccess(SORA, KEY_A);
    expect(await availability().isAvailable(SORA, KEY_C)).toBe(true);
    expect(await availability().unavailableMark(SORA, KEY_B)).toMatchObject({ scope: 'key' });
  });

  it('lets another shard see a mark once its cached read is older than cacheMs', async () => {
    const shardA = availability({ cacheMs: 10_000 });
    const shardB = availability({ cacheMs: 10_000 });
    expect(await shardB.isAvailable(SORA, KEY_A)).toBe(true);
    await shardA.markUnavailable(SORA, KEY_A, GUILD_A, 'paused');
    expect(await shardB.isAvailable(SORA, KEY_A)).toBe(true);
    clock += 10_000;
    expect(await shardB.isAvailable(SORA, KEY_A)).toBe(false);
    expect(await availability().unavailableMark(SORA, KEY_A)).toMatchObject({ reason: 'paused' });
  });

  it('retires a stored mark that does not parse and treats the model as available', async () => {
    const key = `model-mark:key:${keyId(KEY_A)}:${SORA}`;
    await keyv.set(key, { until: 'soon' });
    expect(await availability().isAvailable(SORA, KEY_A)).toBe(true);
    expect(await keyv.get(key)).toBeUndefined();
    expect(await keyv.get(`retired:${key}`)).toEqual({ until: 'soon' });
  });

  it("marks a model the Kie stand-in withdrew, through the real client, for that key's server only", async () => {
    const kie = await startKieStandIn({ keys: { [KEY_A]: 100, [KEY_B]: 100 }, fetchImages: false });
    const client = new KieClient({ apiUrl: kie.url, uploadUrl: kie.url, timeoutMs: 2000, logger });
    try {
      kie.withdrawModel(SORA);
      const error = await client
        .createTask(KEY_A, {
          model: SORA,
          input: { prompt: 'a cat', image_urls: ['https://cdn.example/cat.png'] },
        })
        .catch((err: unknown) => err);
      const models = availability();
      expect(await models.noteFailure(error, SORA, KEY_A, GUILD_A)).toBe(true);
      expect(await models.isAvailable(SORA, KEY_A)).toBe(false);
      expect(await models.isAvailable(SORA, KEY_B)).toBe(true);
    } finally {
      await client.close();
      await kie.close();
    }
  });
});

describe('alternatives, per key', () => {
  it('lists the other models available to the key, other families first, then closest, then cheapest', async () => {
    const models = availability();
    await models.markUnavailable(SORA, KEY_A, GUILD_A);
    const ids = (await models.alternatives(SORA, KEY_A)).map((entry) => entry.id);
    // Takes portrait / landscape and 10 s, like Sora 2, cheapest first.
    expect(ids.slice(0, 4)).toEqual([
      'bytedance/seedance-1.5-pro',
      'bytedance/seedance-2-mini',
      'bytedance/seedance-2-fast',
      'wan/3-0-video',
    ]);
    // Sora 2 Pro, withdrawn from Kie's docs and prices with Sora 2, is never suggested.
    expect(ids).not.toContain('sora-2-pro-image-to-video');
    expect(ids).toHaveLength(registry.list().length - 2);
  });

  it('leaves out models unavailable to this key only, and honours a limit', async () => {
    const models = availability();
    await models.markUnavailable('bytedance/seedance-1.5-pro', KEY_A, GUILD_A);
    await models.markUnavailable('hailuo/2-3-image-to-video-standard', KEY_A, GUILD_A);
    expect((await models.alternatives(SORA, KEY_A, 2)).map((entry) => entry.id)).toEqual([
      'bytedance/seedance-2-mini',
      'bytedance/seedance-2-fast',
    ]);
    expect((await models.alternatives(SORA, KEY_B, 2)).map((entry) => entry.id)).toEqual([
      'bytedance/seedance-1.5-pro',
      'bytedance/seedance-2-mini',
    ]);
  });

  it('ranks by price when the model is not in the registry', async () => {
    const ids = (await availability().alternatives('acme/gone', KEY_A)).map((entry) => entry.id);
    // Cheapest typical job first: Runway's 10 s clip costs 30 credits.
    expect(ids[0]).toBe('runway');
    expect(ids).toHaveLength(registry.list().filter((entry) => !isWithdrawn(entry)).length);
  });
});
