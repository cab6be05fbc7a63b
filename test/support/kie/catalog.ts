import type { ServerResponse } from 'node:http';
import type { StandInContext } from './context.js';
import { sendJson } from './http.js';
import { knownModels } from './schemas.js';
import type { CatalogSetting } from './types.js';

/** Sora 2 left Kie's docs and price feed by 2026-09-24 (kie-models-2026-09.md §1). */
const SORA = /^sora/;

/** The ids a catalog setting lists, or undefined when the catalog route does not exist (404). */
export function catalogIds(setting: CatalogSetting): string[] | undefined {
  if (setting === 'absent') return undefined;
  if (setting === 'all') return knownModels();
  if (setting === 'without-sora') return knownModels().filter((id) => !SORA.test(id));
  return [...setting.models];
}

/**
 * `GET /api/v1/models?taskType=&provider=&q=` (kie-models-2026-09.md §6.6): `{total, models}`,
 * not paginated, `total: 0` is no error. All catalog calls of a key share 1 request per second
 * (excess: 429). An unknown route answers 404, as Kie does for a route it does not have.
 */
export function handleCatalog(
  ctx: StandInContext,
  res: ServerResponse,
  apiKey: string,
  query: URLSearchParams,
): void {
  const { max, windowMs } = ctx.options.catalogLimit;
  if (!ctx.admit(ctx.catalogTimes, apiKey, ctx.options.catalogLimit)) {
    ctx.answer(res, 429, `Rate limit exceeded: at most ${max} catalog request per ${windowMs / 1000} s`);
    return;
  }
  const ids = catalogIds(ctx.catalogs.get(apiKey) ?? ctx.options.catalog);
  if (ids === undefined) {
    ctx.answer(res, 404, 'Not Found');
    return;
  }
  const taskTypes = splitList(query.get('taskType'));
  const provider = query.get('provider')?.trim().toLowerCase();
  const q = query.get('q')?.trim().toLowerCase();
  const models = ids
    .map((id) => catalogEntry(id, ctx.options.costPerTask))
    .filter((entry) => taskTypes.length === 0 || entry.taskType.some((type) => taskTypes.includes(type)))
    .filter((entry) => !provider || entry.provider.toLowerCase() === provider)
    .filter((entry) => !q || `${entry.model} ${entry.title} ${entry.description}`.toLowerCase().includes(q));
  const data = { total: models.length, models };
  if (ctx.options.catalogEnvelope) ctx.answer(res, 200, 'success', data);
  else sendJson(res, 200, data);
}

function catalogEntry(id: string, cost: number) {
  const [head = id] = id.split('/');
  return {
    model: id,
    slug: id.replaceAll('/', '-').replaceAll('.', '-'),
    title: id,
    provider: head.split('-')[0] ?? head,
    taskType: ['Image to Video'],
    description: `${id} (Kie stand-in)`,
    pricingDesc: `${cost} credits per video`,
  };
}

/** `taskType` values are comma-separated and may arrive encoded once more (`Image%20to%20Video`). */
function splitList(raw: string | null): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((part) => {
      try {
        return decodeURIComponent(part).trim();
      } catch {
        return part.trim();
      }
    })
    .filter(Boolean);
}
