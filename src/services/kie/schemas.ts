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
