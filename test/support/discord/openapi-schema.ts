import { isDeepStrictEqual } from 'node:util';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Base URI under which the spec's components are registered with ajv. */
export const SPEC_ID = 'https://discord.local/openapi.json';

/**
 * A place where Discord's OpenAPI description disagrees with what Discord accepts and discord.js
 * sends. Each one names the schema it replaces and fails loudly when the spec text changes, so an
 * updated spec gets the override reviewed instead of silently keeping (or losing) it.
 */
interface Override {
  name: string;
  /** JSON pointers (into the OpenAPI document) of the schemas replaced. */
  pointers: string[];
  /** The spec's schema at each pointer, as of the vendored commit. */
  expected: unknown;
  replace: (original: Obj) => Obj;
}

export const OVERRIDES: Override[] = [
  {
    // The spec says integer; Discord's docs call it a "string" bit set, discord-api-types types it
    // `Permissions` (a string), discord.js sends `PermissionsBitField.resolve(...).toString()` and
    // Discord answers with a string too (ApplicationCommandResponse). Digits only, at most 17 of
    // them (the spec's maximum, 2^54, has 17), so "ManageGuild" or "-1" still fail.
    name: 'default_member_permissions is a string of digits',
    pointers: [
      '/components/schemas/ApplicationCommandCreateRequest/properties/default_member_permissions',
      '/components/schemas/ApplicationCommandUpdateRequest/properties/default_member_permissions',
      '/components/schemas/ApplicationCommandPatchRequestPartial/properties/default_member_permissions',
    ],
    expected: { type: ['integer', 'null'], minimum: 0, maximum: 18014398509481984 },
    replace: (original) => ({
      anyOf: [original, { type: 'string', pattern: '^(0|[1-9][0-9]{0,16})$' }],
    }),
  },
];

function pointerGet(doc: unknown, pointer: string): { parent: Obj; key: string } | undefined {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const key = parts.pop();
  let node = doc;
  for (const p of parts) node = isObj(node) ? node[p] : undefined;
  return isObj(node) && key !== undefined && key in node ? { parent: node, key } : undefined;
}

/** Applies OVERRIDES to the document in place; throws when a replaced schema is not what it expects. */
export function applyOverrides(doc: Obj): void {
  for (const o of OVERRIDES) {
    for (const pointer of o.pointers) {
      const at = pointerGet(doc, pointer);
      const original = at?.parent[at.key];
      if (!at || !isObj(original) || !isDeepStrictEqual(original, o.expected)) {
        throw new Error(
          `OpenAPI override "${o.name}": ${pointer} is ${JSON.stringify(original)}, expected ` +
            `${JSON.stringify(o.expected)}. The spec changed: check whether the override is still needed.`,
        );
      }
      at.parent[at.key] = o.replace(original);
    }
  }
}

const typesOf = (s: Obj): string[] | undefined =>
  typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : undefined;
const isNullOnly = (s: unknown) => isObj(s) && s.type === 'null' && Object.keys(s).length === 1;

/**
 * Rewrites `oneOf`/`anyOf` unions whose members are told apart by a tag (components by `type`,
 * command options by `type`, interaction callbacks by `type`) or by null-ness into `if`/`then`
 * chains. The set of accepted bodies is the same (checked below: the tags are required, constant
 * and disjoint, and no member accepts null), but ajv then reports the one real problem
 * ("/components/0/components/0/label: must NOT have more than 80 characters") instead of one
 * complaint per union member.
 */
export function discriminateUnions(doc: Obj): void {
  const schemas = ((doc.components as Obj | undefined)?.schemas ?? {}) as Obj;
  const resolve = (s: unknown): Obj | undefined => {
    if (!isObj(s)) return undefined;
    if (typeof s.$ref !== 'string') return s;
    const m = /^#\/components\/schemas\/([^/]+)$/.exec(s.$ref);
    return m ? resolve(schemas[m[1] ?? '']) : undefined;
  };
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!isObj(node) && !Array.isArray(node)) return;
    if (seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const v of node) walk(v);
      return;
    }
    for (const v of Object.values(node)) walk(v);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const members = node[key];
      if (!Array.isArray(members) || members.length < 2) continue;
      const replacement = unionAsConditions(members, resolve);
      if (!replacement) continue;
      delete node[key];
      node.allOf = [...((node.allOf as unknown[] | undefined) ?? []), replacement];
    }
  };
  walk(doc);
}

function unionAsConditions(members: unknown[], resolve: (s: unknown) => Obj | undefined): Obj | undefined {
  const nullable = members.some(isNullOnly);
  const rest = members.filter((m) => !isNullOnly(m));
  const resolved = rest.map(resolve);
  // Only members with a declared type that excludes null: otherwise the rewrite could change meaning.
  if (resolved.some((s) => !s || !typesOf(s) || typesOf(s)?.includes('null'))) return undefined;
  let body: Obj | undefined;
  if (rest.length === 1) body = rest[0] as Obj;
  else body = byTag(rest, resolved as Obj[]);
  if (!body) return undefined;
  return nullable ? { if: { type: 'null' }, else: body } : body;
}

function tagValues(s: Obj, tag: string): unknown[] | undefined {
  if (typesOf(s)?.join() !== 'object') return undefined;
  if (!Array.isArray(s.required) || !s.required.includes(tag)) return undefined;
  const prop = (s.properties as Obj | undefined)?.[tag];
  if (!isObj(prop)) return undefined;
  if ('const' in prop) return [prop.const];
  return Array.isArray(prop.enum) ? prop.enum : undefined;
}

function byTag(members: unknown[], resolved: Obj[]): Obj | undefined {
  const candidates = Object.keys((resolved[0]?.properties as Obj | undefined) ?? {});
  for (const tag of ['type', ...candidates.filter((c) => c !== 'type')]) {
    const values = resolved.map((s) => tagValues(s, tag));
    if (values.some((v) => !v)) continue;
    const all = values.flat();
    if (new Set(all).size !== all.length) continue;
    return {
      type: 'object',
      required: [tag],
      properties: { [tag]: { enum: all } },
      allOf: members.map((m, i) => ({
        if: { type: 'object', required: [tag], properties: { [tag]: { enum: values[i] } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
        then: m,
      })),
    };
  }
  return undefined;
}

/**
 * The part of the document a request check needs: every operation (for route matching) with its
 * request body only, and the component schemas those bodies reach (246 of 539, a quarter of the
 * bytes). Keeps the rewrites below and ajv's registration cheap.
 */
export function requestBodySubset(doc: Obj): Obj {
  const all = ((doc.components as Obj | undefined)?.schemas ?? {}) as Obj;
  const schemas: Obj = {};
  const reach = (node: unknown): void => {
    if (Array.isArray(node)) for (const v of node) reach(v);
    if (!isObj(node)) return;
    const name =
      typeof node.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(node.$ref)?.[1] : undefined;
    if (name !== undefined && !(name in schemas)) {
      schemas[name] = all[name];
      reach(all[name]);
    }
    for (const v of Object.values(node)) reach(v);
  };
  const paths: Obj = {};
  for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Obj>)) {
    const ops: Obj = {};
    for (const [method, op] of Object.entries(item)) {
      if (!isObj(op) || method === 'parameters') continue;
      ops[method] = { operationId: op.operationId, requestBody: op.requestBody };
      reach(op.requestBody);
    }
    paths[template] = ops;
  }
  return { paths, components: { schemas } };
}

/** Makes every `#/components/...` reference absolute, so an operation's schema compiles on its own. */
export function absoluteRefs(node: unknown, seen = new Set<unknown>()): void {
  if (!isObj(node) && !Array.isArray(node)) return;
  if (seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const v of node) absoluteRefs(v, seen);
    return;
  }
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) node.$ref = `${SPEC_ID}${node.$ref}`;
  for (const v of Object.values(node)) absoluteRefs(v, seen);
}
