import { z } from 'zod';

const httpUrl = () => z.url({ protocol: /^https?$/ });

const sora2ImageToVideo = z.strictObject({
  prompt: z.string().max(10_000),
  image_urls: z.array(httpUrl()).length(1),
  aspect_ratio: z.enum(['portrait', 'landscape']).optional(),
  n_frames: z.enum(['10', '15']).optional(),
  remove_watermark: z.boolean().optional(),
  character_id_list: z.array(z.string()).max(5).optional(),
  upload_method: z.enum(['s3', 'oss']).optional(),
});

/** Input schemas by model id (kie-models.md §1a–1c). Strict: unknown fields are rejected. */
const modelSchemas = new Map<string, z.ZodType>([
  ['sora-2-image-to-video', sora2ImageToVideo],
  ['sora-2-pro-image-to-video', sora2ImageToVideo.extend({ size: z.enum(['standard', 'high']).optional() })],
  [
    'sora-2-image-to-video-stable',
    sora2ImageToVideo.omit({ remove_watermark: true, character_id_list: true }),
  ],
]);

/** Teach every stand-in (in this process) a model's `input` schema. */
export function registerModelSchema(model: string, schema: z.ZodType): void {
  modelSchemas.set(model, schema);
}

export function knownModels(): string[] {
  return [...modelSchemas.keys()];
}

const createTaskBody = z.strictObject({
  model: z.string().min(1),
  callBackUrl: httpUrl().optional(),
  progressCallBackUrl: httpUrl().optional(),
  input: z.record(z.string(), z.unknown()),
});

export type CreateTaskBody = z.infer<typeof createTaskBody>;

export type Rejection = { code: number; msg: string };

/**
 * Validates a createTask body. A missing required field answers code 500 "This field is required"
 * (kie-api.md: seen from Kie); any other problem answers 422 with a message naming the field.
 */
export function validateCreateTask(
  body: unknown,
): { ok: true; body: CreateTaskBody } | ({ ok: false } & Rejection) {
  const top = createTaskBody.safeParse(body);
  if (!top.success) return { ok: false, ...describeIssues(top.error.issues, body) };
  const schema = modelSchemas.get(top.data.model);
  if (!schema) return { ok: false, code: 422, msg: `model ${top.data.model} is not supported` };
  const input = schema.safeParse(top.data.input);
  if (!input.success) return { ok: false, ...describeIssues(input.error.issues, top.data.input) };
  return { ok: true, body: top.data };
}

/** Required-field check in Kie's words, for the small routes that take one field. */
export function requireString(body: unknown, field: string): Rejection | undefined {
  const value = isRecord(body) ? body[field] : undefined;
  if (value === undefined || value === null || value === '') {
    return { code: 500, msg: `${field}: This field is required` };
  }
  if (typeof value !== 'string') return { code: 422, msg: `${field}: expected a string` };
  return undefined;
}

function describeIssues(issues: z.core.$ZodIssue[], input: unknown): Rejection {
  const missing = issues.find((i) => i.code === 'invalid_type' && valueAt(input, i.path) === undefined);
  if (missing) return { code: 500, msg: `${fieldName(missing)}: This field is required` };
  const first = issues[0];
  if (!first) return { code: 422, msg: 'Validation failed' };
  const message = first.code === 'unrecognized_keys' ? 'Unrecognized field' : first.message;
  return { code: 422, msg: `${fieldName(first)}: ${message}` };
}

function fieldName(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.join(', ');
  return issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
