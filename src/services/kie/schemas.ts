import { z } from 'zod';
import { type FailureContext, unexpectedAnswer } from './error-mapping.js';
import { KieError } from './errors.js';

export const kieTaskStates = ['waiting', 'queuing', 'generating', 'success', 'fail'] as const;
export type KieTaskState = (typeof kieTaskStates)[number];

/** A task as recordInfo reports it, normalised: absent or empty values are null. */
export interface KieTask {
  taskId: string;
  model: string;
  state: KieTaskState;
  /** Non-empty when `state` is `success`; empty otherwise. */
  resultUrls: string[];
  failCode: string | null;
  failMsg: string | null;
  costTimeMs: number | null;
  createTime: number | null;
  updateTime: number | null;
  completeTime: number | null;
  /**
   * What Kie billed for the task (`creditsConsumed`, a float), when it says; null when absent,
   * empty, negative or not a number (then only the bot's estimate is known).
   */
  creditsConsumed: number | null;
}

/** Kie sends numbers either as numbers or as numeric strings. */
const numeric = z.union([
  z.number().finite(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const optionalNumber = numeric.nullish().catch(null);
const optionalText = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(null);
const httpUrl = z.url({ protocol: /^https?$/ });

/** `{ code, msg | message, data }`; the body `code` is the truth, whatever the HTTP status. */
export const envelopeSchema = z.looseObject({
  code: numeric,
  msg: optionalText,
  message: optionalText,
  data: z.unknown().optional(),
});
export type KieEnvelope = z.infer<typeof envelopeSchema>;

export function envelopeMessage(envelope: KieEnvelope): string {
  return envelope.msg ?? envelope.message ?? '';
}

const createTaskDataSchema = z.looseObject({
  taskId: z.union([z.string().trim().min(1), z.number().transform(String)]),
});

const recordInfoDataSchema = z.looseObject({
  taskId: z.union([z.string().min(1), z.number().transform(String)]),
  model: optionalText,
  state: z
    .string()
    .transform((state) => state.trim().toLowerCase())
    .pipe(z.enum(kieTaskStates)),
  // Documented as a JSON string; an already-decoded object is accepted too.
  resultJson: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .nullish()
    .catch(null),
  failCode: optionalText,
  failMsg: optionalText,
  costTime: optionalNumber,
  createTime: optionalNumber,
  updateTime: optionalNumber,
  completeTime: optionalNumber,
  creditsConsumed: optionalNumber,
});

const resultJsonSchema = z.looseObject({ resultUrls: z.array(httpUrl).min(1) });

const uploadDataSchema = z.looseObject({ downloadUrl: optionalText, fileUrl: optionalText });

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${path ? `data.${path}` : 'data'}: ${issue.message}`;
}

function parseData<T>(schema: z.ZodType<T>, data: unknown, ctx: FailureContext, code: number): T {
  const result = schema.safeParse(data);
  if (!result.success) throw unexpectedAnswer(firstProblem(result.error), ctx, code);
  return result.data;
}

function emptyToNull(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === '' ? null : text;
}

function decodeResultUrls(resultJson: string | Record<string, unknown> | null | undefined): string[] | null {
  if (resultJson === null || resultJson === undefined) return null;
  let decoded: unknown = resultJson;
  if (typeof resultJson === 'string') {
    if (resultJson.trim() === '') return null;
    try {
      decoded = JSON.parse(resultJson);
    } catch {
      return null;
    }
  }
  const parsed = resultJsonSchema.safeParse(decoded);
  return parsed.success ? parsed.data.resultUrls : null;
}

export function parseCreateTaskData(data: unknown, ctx: FailureContext, code: number): { taskId: string } {
  return { taskId: parseData(createTaskDataSchema, data, ctx, code).taskId };
}

/** Parses recordInfo's `data`; a `success` without usable result URLs is a `malformed-result` KieError. */
export function parseRecordInfoData(data: unknown, ctx: FailureContext, code: number): KieTask {
  const raw = parseData(recordInfoDataSchema, data, ctx, code);
  const resultUrls = decodeResultUrls(raw.resultJson);
  if (raw.state === 'success' && resultUrls === null) {
    throw new KieError(
      'malformed-result',
      `Kie ${ctx.route}: task ${raw.taskId} succeeded but its resultJson is malformed (no result URL)`,
      { route: ctx.route, code, httpStatus: ctx.httpStatus, taskId: raw.taskId },
    );
  }
  return {
    taskId: raw.taskId,
    model: raw.model ?? '',
    state: raw.state,
    resultUrls: raw.state === 'success' ? (resultUrls ?? []) : [],
    failCode: emptyToNull(raw.failCode),
    failMsg: emptyToNull(raw.failMsg),
    costTimeMs: raw.costTime ?? null,
    createTime: raw.createTime ?? null,
    updateTime: raw.updateTime ?? null,
    completeTime: raw.completeTime ?? null,
    creditsConsumed:
      raw.creditsConsumed !== undefined && raw.creditsConsumed !== null && raw.creditsConsumed >= 0
        ? raw.creditsConsumed
        : null,
  };
}

export function parseCreditData(data: unknown, ctx: FailureContext, code: number): number {
  return parseData(numeric, data, ctx, code);
}

/** Upload answers disagree on the field name: `downloadUrl` first, then `fileUrl`. */
export function parseUploadData(data: unknown, ctx: FailureContext, code: number): { downloadUrl: string } {
  const raw = parseData(uploadDataSchema, data, ctx, code);
  const candidate = emptyToNull(raw.downloadUrl) ?? emptyToNull(raw.fileUrl);
  return { downloadUrl: parseData(httpUrl, candidate, ctx, code) };
}

export function parseDownloadUrlData(data: unknown, ctx: FailureContext, code: number): string {
  return parseData(httpUrl, data, ctx, code);
}

/** One model of Kie's catalog (`GET /api/v1/models`, kie-models-2026-09.md §6.6). */
export interface KieCatalogModel {
  /** The id createTask takes, e.g. `bytedance/seedance-2-mini`. */
  model: string;
  slug: string | null;
  title: string | null;
  provider: string | null;
  /** e.g. `Image to Video`; Kie may send one comma-separated string. */
  taskTypes: string[];
  description: string | null;
  /** Kie's own price text, matching what is billed. */
  pricingDesc: string | null;
}

/** Kie's model catalog as listModels returns it. */
export interface KieModelCatalog {
  /** Kie's `total`; the length of `models` when Kie leaves it out. */
  total: number;
  models: KieCatalogModel[];
}

const catalogModelSchema = z.looseObject({
  // Without a readable id the list cannot prove a model absent: the whole answer is refused.
  model: z.string().trim().min(1).max(300),
  slug: optionalText,
  title: optionalText,
  provider: optionalText,
  taskType: z
    .union([z.array(z.string()), z.string().transform((text) => text.split(','))])
    .nullish()
    .catch(null),
  description: optionalText,
  pricingDesc: optionalText,
});

const catalogSchema = z.looseObject({
  total: optionalNumber,
  models: z.array(catalogModelSchema).max(10_000),
});

/**
 * Parses the catalog's `{ total, models }` (inside the envelope's `data`, or the bare body:
 * the one source, kie-models-2026-09.md §6.6, does not show the envelope).
 */
export function parseModelCatalogData(data: unknown, ctx: FailureContext, code: number): KieModelCatalog {
  const raw = parseData(catalogSchema, data, ctx, code);
  return {
    total: raw.total ?? raw.models.length,
    models: raw.models.map((entry) => ({
      model: entry.model,
      slug: emptyToNull(entry.slug),
      title: emptyToNull(entry.title),
      provider: emptyToNull(entry.provider),
      taskTypes: (entry.taskType ?? []).map((type) => type.trim()).filter(Boolean),
      description: emptyToNull(entry.description),
      pricingDesc: emptyToNull(entry.pricingDesc),
    })),
  };
}
