import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { redactTokenRoutes } from './http.js';
import {
  absoluteRefs,
  applyOverrides,
  discriminateUnions,
  requestBodySubset,
  SPEC_ID,
} from './openapi-schema.js';

type Obj = Record<string, unknown>;

/** Discord's OpenAPI description, vendored verbatim (see spec/README.md). */
const SPEC_URL = new URL('./spec/discord-openapi.json', import.meta.url);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** Errors shown per request; the rest are counted. */
const MAX_REPORTED = 5;

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Operation {
  method: string;
  template: string;
  id: string;
  segments: string[];
  literals: number;
  /** Schemas by media type (`application/json`, `multipart/form-data`). */
  content?: Record<string, unknown>;
  bodyRequired: boolean;
}

/** What the validator needs from a request the stand-in received. */
export interface BodyRequest {
  method: string;
  /** URL-decoded path after `/api/v10`. */
  route: string;
  headers: Record<string, string>;
  /** The JSON body, or the parsed multipart `payload_json`. */
  json: unknown;
  files: unknown[];
}

/** Timings of the one-off work, for the report and for anyone wondering why a first request is slow. */
export interface OpenApiTimings {
  loadMs: number;
  /** First-compile time of each operation's validator, by `METHOD template media-type`. */
  compileMs: Record<string, number>;
}

/**
 * Checks request bodies against Discord's OpenAPI description. The document is read once per
 * process (on the first request with a body, not at stand-in start); each operation's validator is
 * compiled the first time that operation is seen and then reused by every stand-in in the process.
 */
export class OpenApiValidator {
  readonly timings: OpenApiTimings = { loadMs: 0, compileMs: {} };
  readonly #ajv: Ajv2020;
  readonly #operations: Operation[] = [];
  readonly #compiled = new Map<string, ValidateFunction>();

  /**
   * @param spec the OpenAPI document (default: the vendored one); it is modified in place.
   * @param options.rewriteUnions default true; false keeps the unions as published (tests compare both).
   */
  constructor(spec?: Obj, options: { rewriteUnions?: boolean } = {}) {
    const started = performance.now();
    const full = spec ?? (JSON.parse(readFileSync(SPEC_URL, 'utf8')) as Obj);
    applyOverrides(full);
    const doc = requestBodySubset(full);
    if (options.rewriteUnions !== false) discriminateUnions(doc);
    absoluteRefs(doc);
    // strict: unknown keywords or a malformed rewrite fail loudly. The rest roughly halves the first
    // compile of an operation (measured ~0.8 s → ~0.35 s for the four the bot uses): no meta-schema
    // pass, referenced schemas compiled once as functions of their own, no code optimiser pass.
    this.#ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      validateSchema: false,
      inlineRefs: false,
      code: { optimize: false },
    });
    addFormats(this.#ajv);
    // Discord's own formats: the SnowflakeType pattern already checks the digits, a nonce is any
    // string of up to 25 characters (maxLength sits beside the format).
    this.#ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    this.#ajv.addFormat('nonce', true);
    this.#ajv.addKeyword('x-discord-union');
    this.#ajv.addKeyword('components');
    this.#ajv.addSchema({ $id: SPEC_ID, components: doc.components });
    for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Obj>)) {
      const segments = template.split('/').slice(1);
      for (const method of METHODS) {
        const op = item[method] as Obj | undefined;
        if (!op) continue;
        const body = op.requestBody as { required?: boolean; content?: Record<string, Obj> } | undefined;
        this.#operations.push({
          method: method.toUpperCase(),
          template,
          id: String(op.operationId ?? ''),
          segments,
          literals: segments.filter((s) => !s.startsWith('{')).length,
          ...(body?.content
            ? {
                content: Object.fromEntries(
                  Object.entries(body.content).map(([type, media]) => [type, media.schema]),
                ),
              }
            : {}),
          bodyRequired: body?.required === true,
        });
      }
    }
    // The most literal template wins: `/messages/@original` before `/messages/{message_id}`.
    this.#operations.sort((a, b) => b.literals - a.literals);
    this.timings.loadMs = performance.now() - started;
  }

  /** Returns one violation message per mismatching request (none when the body fits the spec). */
  check(req: BodyRequest): string[] {
    const op = this.#find(req.method, req.route);
    const hasBody = req.json !== undefined || req.files.length > 0;
    if (!op) {
      return hasBody
        ? [`${req.method} ${redactTokenRoutes(req.route)}: no operation in Discord's OpenAPI description`]
        : [];
    }
    const where = `${req.method} ${fill(op, req.route)} (${op.id})`;
    if (!hasBody) return op.bodyRequired ? [`${where}: the operation requires a body; none was sent`] : [];
    if (!op.content) return [`${where}: sends a body, but the operation takes none`];
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    if (!(mediaType in op.content)) {
      return [`${where}: content type ${JSON.stringify(mediaType)} is not one the operation accepts`];
    }
    const validate = this.#validator(op, mediaType);
    // A multipart request is validated through its payload_json; the files[n] parts are the stand-in's job.
    if (validate(req.json ?? {})) return [];
    const problems = summarize(validate.errors ?? []);
    const shown = problems.slice(0, MAX_REPORTED);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
    return [`${where}: body does not match Discord's OpenAPI schema: ${shown.join('; ')}${more}`];
  }

  #find(method: string, route: string): Operation | undefined {
    const parts = route.replace(/\/+$/, '').split('/').slice(1);
    return this.#operations.find(
      (op) =>
        op.method === method &&
        op.segments.length === parts.length &&
        op.segments.every((s, i) => (s.startsWith('{') ? parts[i] !== '' : s === parts[i])),
    );
  }

  #validator(op: Operation, mediaType: string): ValidateFunction {
    const key = `${op.method} ${op.template} ${mediaType}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      const started = performance.now();
      validate = this.#ajv.compile(op.content?.[mediaType] as Obj);
      this.timings.compileMs[key] = performance.now() - started;
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}

let shared: OpenApiValidator | undefined;

/** The process-wide validator: the spec is parsed and compiled once, whatever the number of stand-ins. */
export function openApiValidator(): OpenApiValidator {
  shared ??= new OpenApiValidator();
  return shared;
}

/** The request path with the operation's parameters filled in, tokens left as `{…_token}`. */
function fill(op: Operation, route: string): string {
  const parts = route.split('/').slice(1);
  return `/${op.segments.map((s, i) => (s.startsWith('{') && !s.endsWith('_token}') ? parts[i] : s)).join('/')}`;
}

/**
 * One line per real problem: the unions' "must match a schema" umbrellas and the `if` branches
 * that merely carry an inner error are dropped, duplicates (the same complaint reached through two
 * union members) are merged.
 */
function summarize(errors: ErrorObject[]): string[] {
  const umbrella = new Set(['if', 'oneOf', 'anyOf', 'allOf']);
  const leaves = errors.filter((e) => !umbrella.has(e.keyword));
  const lines = (leaves.length ? leaves : errors).map((e) => {
    const allowed = e.keyword === 'enum' ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : '';
    return `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${allowed}, got ${preview(e.data)}`;
  });
  return [...new Set(lines)];
}

function preview(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
