import type { Keyv } from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { KieClient, type KieModelCatalog } from '../../../src/services/kie/index.js';
import { ModelAvailability } from '../../../src/services/models/availability.js';
import { type CatalogSource, ModelCatalog } from '../../../src/services/models/model-catalog.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';

const SORA = 'sora-2-image-to-video';
const KLING = 'kling-2.6/image-to-video';
const KEY_A = 'kie-key-of-server-a-0000000001';
const KEY_B = 'kie-key-of-server-b-0000000002';
const HOUR = 60 * 60_000;
const registry = createModelRegistry();
const logger = createLogger('silent');

let keyv: Keyv;
let kie: KieStandIn;
let client: KieClient;

beforeEach(async () => {
  keyv = openKeyv('sqlite://:memory:', { namespace: `catalog-${Math.random().toString(36).slice(2)}` });
  kie = await startKieStandIn({ keys: { [KEY_A]: 1000, [KEY_B]: 1000 }, fetchImages: false });
  client = new KieClient({
    apiUrl: kie.url,
    uploadUrl: kie.url,
    timeoutMs: 2000,
    logger,
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 10 },
  });
});

afterEach(async () => {
  await client.close();
  await kie.close();
  await keyv.disconnect();
});

function world(options: { source?: CatalogSource; now?: () => number; refreshMs?: number } = {}) {
  const catalog = new ModelCatalog({ keyv, registry, logger, source: options.source ?? client, ...options });
  const availability = new ModelAvailability({ keyv, registry, logger, catalog, ...options });
  return { catalog, availability };
}

/** A source answering `catalog` for every key, counting the calls. */
function fixedSource(catalog: KieModelCatalog) {
  const source = {
    calls: 0,
    async listModels() {
      source.calls += 1;
      return catalog;
    },
  };
  return source;
}

const entry = (model: string) => ({
  model,
  slug: null,
  title: null,
  provider: null,
  taskTypes: [],
  description: null,
  pricingDesc: null,
});

describe('ModelCatalog and availability', () => {
  it('holds Sora unavailable for a key whose catalog lacks it, before any createTask', async () => {
    kie.setCatalog('without-sora', KEY_A);
    const { availability } = world();
    await availability.refreshCatalog(KEY_A);
    expect(await availability.unavailableMark(SORA, KEY_A)).toMatchObject({ scope: 'catalog' });
    expect(await availability.isAvailable(KLING, KEY_A)).toBe(true);
    expect((await availability.alternatives(SORA, KEY_A)).map((e) => e.id)).not.toContain(
      'sora-2-pro-image-to-video',
    );
    expect(kie.count('createTask')).toBe(0);
    expect(kie.count('models')).toBe(1);
  });

  it('leaves the decision to createTask for a key without a catalog (404)', async () => {
    kie.setCatalog('without-sora', KEY_A);
    const { availability, catalog } = world();
    await availability.refreshCatalog(KEY_B);
    expect(await catalog.state(KEY_B)).toMatchObject({ kind: 'none', why: 'upstream 404' });
    expect(await availability.isAvailable(SORA, KEY_B)).toBe(true);
    // createTask decides: it goes through.
    const { taskId } = await client.createTask(KEY_B, {
      model: SORA,
      input: { prompt: 'a cat', image_urls: ['https://cdn.example/cat.png'] },
    });
    expect(kie.tasks.get(taskId)?.model).toBe(SORA);
  });

  it('takes any failure to read the catalog as "no catalog"', async () => {
    kie.setCatalog('without-sora');
    kie.fault({ route: 'models', kind: 'html', httpStatus: 502 });
    const { availability, catalog } = world();
    await availability.refreshCatalog(KEY_A);
    expect(await catalog.state(KEY_A)).toMatchObject({ kind: 'none', why: 'non-json' });
    expect(await availability.isAvailable(SORA, KEY_A)).toBe(true);
  });

  it.each([
    ['an empty list (total 0)', { total: 0, models: [] }, 'empty list'],
    ['a list shorter than its total', { total: 300, models: [entry(KLING)] }, 'partial list'],
    [
      'a list naming none of our models',
      { total: 1, models: [entry('flux/kontext-pro')] },
      'lists none of our models',
    ],
  ])('reads %s as no catalog, so no model is switched off', async (_label, answer, why) => {
    const { availability, catalog } = world({ source: fixedSource(answer) });
    await availability.refreshCatalog(KEY_A);
    expect(await catalog.state(KEY_A)).toMatchObject({ kind: 'none', why });
    for (const model of registry.list()) expect(await availability.isAvailable(model.id, KEY_A)).toBe(true);
  });

  it("matches the catalog's slug too, and ignores case", async () => {
    const source = fixedSource({
      total: 2,
      models: [
        { ...entry('kling/whatever'), slug: 'Kling-2.6/Image-To-Video' },
        entry('BYTEDANCE/seedance-1.5-pro'),
      ],
    });
    const { availability } = world({ source });
    await availability.refreshCatalog(KEY_A);
    expect(await availability.isAvailable(KLING, KEY_A)).toBe(true);
    expect(await availability.isAvailable('bytedance/seedance-1.5-pro', KEY_A)).toBe(true);
    expect(await availability.unavailableMark(SORA, KEY_A)).toMatchObject({ scope: 'catalog' });
  });

  it('reads a key once an hour, whichever shard asks, and shares one request between callers', async () => {
    let clock = 1_800_000_000_000;
    const source = fixedSource({ total: 1, models: [entry(KLING)] });
    const shardA = world({ source, now: () => clock });
    const shardB = world({ source, now: () => clock });
    await Promise.all([shardA.catalog.refresh(KEY_A), shardA.catalog.refresh(KEY_A)]);
    expect(source.calls).toBe(1);
    await shardB.catalog.refreshIfStale(KEY_A);
    expect(source.calls).toBe(1);
    expect(await shardB.availability.unavailableMark(SORA, KEY_A)).toMatchObject({
      scope: 'catalog',
      until: clock + HOUR,
    });
    clock += HOUR;
    await shardB.catalog.refreshIfStale(KEY_A);
    expect(source.calls).toBe(2);
  });

  it('reads a key it never saw in the background at its first check', async () => {
    kie.setCatalog('without-sora');
    const { availability, catalog } = world();
    expect(await availability.isAvailable(SORA, KEY_A)).toBe(true);
    await expect.poll(() => catalog.state(KEY_A), { timeout: 3000 }).toMatchObject({ kind: 'listed' });
    expect(await availability.isAvailable(SORA, KEY_A)).toBe(false);
  });

  it("lets an admin try a model the catalog lacks, until the key's catalog is read again", async () => {
    let clock = 1_800_000_000_000;
    const source = fixedSource({ total: 1, models: [entry(KLING)] });
    const { availability, catalog } = world({ source, now: () => clock });
    await availability.refreshCatalog(KEY_A);
    clock += 1000;
    await availability.markAvailable(SORA, KEY_A);
    expect(await availability.isAvailable(SORA, KEY_A)).toBe(true);
    clock += HOUR;
    await catalog.refreshIfStale(KEY_A);
    expect(await availability.unavailableMark(SORA, KEY_A)).toMatchObject({ scope: 'catalog' });
  });

  it('start() reads each key of the served guilds once (a shared key once), and again each round', async () => {
    kie.setCatalog('without-sora');
    const { catalog } = world({ refreshMs: 1300 });
    let rounds = 0;
    catalog.start(async () => {
      rounds += 1;
      return [KEY_A, KEY_B, KEY_A];
    });
    try {
      await expect.poll(() => kie.count('models'), { timeout: 3000 }).toBe(2);
      expect(new Set(kie.requests.filter((r) => r.route === 'models').map((r) => r.apiKey))).toEqual(
        new Set([KEY_A, KEY_B]),
      );
      await expect.poll(() => kie.count('models'), { timeout: 5000 }).toBe(4);
      expect(rounds).toBeGreaterThanOrEqual(2);
    } finally {
      catalog.stop();
    }
    const after = kie.count('models');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(kie.count('models')).toBe(after);
  });
});
