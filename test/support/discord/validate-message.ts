import { type FieldError, isObj, len, maxLen, type Obj } from './validate.js';

const IS_COMPONENTS_V2 = 1 << 15;

export function validateMessage(body: Obj, path: FieldError['path'] = []): FieldError[] {
  const errors: FieldError[] = [];
  if (body.content !== undefined && body.content !== null)
    maxLen(errors, [...path, 'content'], body.content, 2000);
  if (body.embeds !== undefined && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) {
      errors.push({ path: [...path, 'embeds'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    } else {
      if (body.embeds.length > 10) {
        errors.push({
          path: [...path, 'embeds'],
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 10 or fewer in length.',
        });
      }
      let total = 0;
      body.embeds.forEach((embed, i) => {
        const p = [...path, 'embeds', i];
        if (!isObj(embed)) return;
        maxLen(errors, [...p, 'title'], embed.title, 256);
        maxLen(errors, [...p, 'description'], embed.description, 4096);
        total += len(embed.title) + len(embed.description);
        if (isObj(embed.footer)) {
          maxLen(errors, [...p, 'footer', 'text'], embed.footer.text, 2048);
          total += len(embed.footer.text);
        }
        if (isObj(embed.author)) {
          maxLen(errors, [...p, 'author', 'name'], embed.author.name, 256, 1);
          total += len(embed.author.name);
        }
        if (Array.isArray(embed.fields)) {
          if (embed.fields.length > 25) {
            errors.push({
              path: [...p, 'fields'],
              code: 'BASE_TYPE_MAX_LENGTH',
              message: 'Must be 25 or fewer in length.',
            });
          }
          embed.fields.forEach((f, j) => {
            if (!isObj(f)) return;
            maxLen(errors, [...p, 'fields', j, 'name'], f.name, 256, 1);
            maxLen(errors, [...p, 'fields', j, 'value'], f.value, 1024, 1);
            total += len(f.name) + len(f.value);
          });
        }
      });
      if (total > 6000) {
        errors.push({
          path: [...path, 'embeds'],
          code: 'MAX_EMBED_SIZE_EXCEEDED',
          message: 'Embed size exceeds maximum size of 6000',
        });
      }
    }
  }
  if (Array.isArray(body.components)) {
    const v2 = typeof body.flags === 'number' && (body.flags & IS_COMPONENTS_V2) !== 0;
    if (!v2) validateRows(errors, [...path, 'components'], body.components);
    else if (countComponents(body.components) > 40) {
      errors.push({
        path: [...path, 'components'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 40 or fewer in total.',
      });
    }
  }
  return errors;
}

function countComponents(list: unknown[]): number {
  let n = 0;
  for (const c of list) {
    n++;
    if (isObj(c) && Array.isArray(c.components)) n += countComponents(c.components);
    if (isObj(c) && isObj(c.component)) n += 1;
  }
  return n;
}

function validateRows(errors: FieldError[], path: FieldError['path'], rows: unknown[]): void {
  if (rows.length > 5)
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  rows.forEach((row, i) => {
    const p = [...path, i];
    if (!isObj(row) || row.type !== 1 || !Array.isArray(row.components)) {
      errors.push({
        path: p,
        code: 'COMPONENT_LAYOUT_INVALID',
        message: 'Top-level components must be action rows.',
      });
      return;
    }
    const kids = row.components as unknown[];
    const hasSelect = kids.some((c) => isObj(c) && typeof c.type === 'number' && c.type >= 3 && c.type !== 4);
    if (kids.length < 1 || kids.length > 5 || (hasSelect && kids.length > 1)) {
      errors.push({
        path: [...p, 'components'],
        code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        message: 'Row is too wide.',
      });
    }
    kids.forEach((c, j) => {
      if (!isObj(c)) return;
      const cp = [...p, 'components', j];
      if (c.type === 2) {
        maxLen(errors, [...cp, 'label'], c.label, 80);
        if (c.style === 5 && typeof c.url !== 'string') {
          errors.push({
            path: [...cp, 'url'],
            code: 'BASE_TYPE_REQUIRED',
            message: 'This field is required',
          });
        } else if (c.style !== 5 && c.style !== 6) maxLen(errors, [...cp, 'custom_id'], c.custom_id, 100, 1);
      } else if (typeof c.type === 'number' && c.type >= 3) {
        maxLen(errors, [...cp, 'custom_id'], c.custom_id, 100, 1);
        if (Array.isArray(c.options) && c.options.length > 25) {
          errors.push({
            path: [...cp, 'options'],
            code: 'BASE_TYPE_MAX_LENGTH',
            message: 'Must be 25 or fewer in length.',
          });
        }
      }
    });
  });
}

export function isEmptyMessage(body: Obj, fileCount: number): boolean {
  const has = (v: unknown) =>
    Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v != null;
  return (
    fileCount === 0 &&
    !has(body.content) &&
    !has(body.embeds) &&
    !has(body.components) &&
    !has(body.sticker_ids) &&
    !has(body.poll) &&
    !(Array.isArray(body.attachments) && body.attachments.length > 0)
  );
}

export function validateModal(data: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObj(data))
    return [{ path: ['data'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }];
  maxLen(errors, ['data', 'title'], data.title, 45, 1);
  maxLen(errors, ['data', 'custom_id'], data.custom_id, 100, 1);
  const comps = Array.isArray(data.components) ? data.components : [];
  if (comps.length < 1 || comps.length > 5) {
    errors.push({
      path: ['data', 'components'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 5 in length.',
    });
  }
  comps.forEach((c, i) => {
    const inner = isObj(c)
      ? c.type === 18
        ? [c.component]
        : Array.isArray(c.components)
          ? c.components
          : []
      : [];
    if (isObj(c) && c.type === 18) maxLen(errors, ['data', 'components', i, 'label'], c.label, 45, 1);
    inner.forEach((t: unknown, j: number) => {
      if (!isObj(t) || t.type !== 4) return;
      const p = ['data', 'components', i, 'components', j];
      maxLen(errors, [...p, 'custom_id'], t.custom_id, 100, 1);
      if (t.style !== 1 && t.style !== 2) {
        errors.push({
          path: [...p, 'style'],
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of {1, 2}.',
        });
      }
      if (c && isObj(c) && c.type !== 18) maxLen(errors, [...p, 'label'], t.label, 45, 1);
      for (const k of ['min_length', 'max_length'] as const) {
        if (t[k] !== undefined && (typeof t[k] !== 'number' || t[k] < 0 || t[k] > 4000)) {
          errors.push({ path: [...p, k], code: 'NUMBER_TYPE_MAX', message: 'Must be between 0 and 4000.' });
        }
      }
      maxLen(errors, [...p, 'value'], t.value, 4000);
      maxLen(errors, [...p, 'placeholder'], t.placeholder, 100);
    });
  });
  return errors;
}
