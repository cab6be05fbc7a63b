export interface FieldError {
  path: Array<string | number>;
  code: string;
  message: string;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const len = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

/** `{code: 50035, message: 'Invalid Form Body', errors: {path: {_errors: [...]}}}` as Discord nests them. */
export function formBodyError(errors: FieldError[]): Obj {
  const root: Obj = {};
  for (const e of errors) {
    let node = root;
    for (const key of e.path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Obj;
    }
    const list = (node._errors as Obj[] | undefined) ?? [];
    node._errors = list;
    list.push({ code: e.code, message: e.message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors: root };
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.path.join('.') || '(body)'}: ${e.message}`).join('; ');
}

export function maxLen(
  errors: FieldError[],
  path: FieldError['path'],
  v: unknown,
  max: number,
  min = 0,
): void {
  if (v === undefined || v === null) {
    if (min > 0) errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (typeof v !== 'string') {
    errors.push({ path, code: 'BASE_TYPE_STRING', message: 'Must be a string.' });
    return;
  }
  const n = len(v);
  if (n > max || n < min) {
    errors.push({
      path,
      code: 'BASE_TYPE_BAD_LENGTH',
      message: `Must be between ${min} and ${max} in length.`,
    });
  }
}
