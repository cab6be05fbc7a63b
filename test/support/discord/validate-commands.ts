import { type FieldError, isObj, len, maxLen } from './validate.js';

export const LOCALES = new Set([
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
]);
const NAME_RE = /^[-_\p{L}\p{N}]{1,32}$/u;

function validateName(
  errors: FieldError[],
  path: FieldError['path'],
  name: unknown,
  chatInput: boolean,
): void {
  if (typeof name !== 'string') {
    errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else if (
    chatInput ? !NAME_RE.test(name) || name !== name.toLowerCase() : len(name) < 1 || len(name) > 32
  ) {
    errors.push({
      path,
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: `Command name is invalid: ${name}`,
    });
  }
}

function validateLocalizations(
  errors: FieldError[],
  path: FieldError['path'],
  map: unknown,
  check: (p: FieldError['path'], v: unknown) => void,
): number {
  if (map === undefined || map === null) return 0;
  if (!isObj(map)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return 0;
  }
  let chars = 0;
  for (const [locale, value] of Object.entries(map)) {
    if (!LOCALES.has(locale)) {
      errors.push({
        path: [...path, locale],
        code: 'ENUM_TYPE_COERCE',
        message: `Value "${locale}" is not a valid enum value.`,
      });
    }
    check([...path, locale], value);
    chars = Math.max(chars, len(value));
  }
  return chars;
}

/** Validates one command (chat input, user or message) and returns its size in characters. */
function validateCommand(errors: FieldError[], path: FieldError['path'], cmd: unknown): number {
  if (!isObj(cmd)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return 0;
  }
  const type = cmd.type ?? 1;
  const chatInput = type === 1;
  validateName(errors, [...path, 'name'], cmd.name, chatInput);
  let size = len(cmd.name);
  size += validateLocalizations(errors, [...path, 'name_localizations'], cmd.name_localizations, (p, v) =>
    validateName(errors, p, v, chatInput),
  );
  if (chatInput) {
    maxLen(errors, [...path, 'description'], cmd.description, 100, 1);
    size += len(cmd.description);
    size += validateLocalizations(
      errors,
      [...path, 'description_localizations'],
      cmd.description_localizations,
      (p, v) => maxLen(errors, p, v, 100, 1),
    );
  } else if (cmd.description) {
    errors.push({
      path: [...path, 'description'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be empty for this command type.',
    });
  }
  size += validateOptions(errors, [...path, 'options'], cmd.options);
  return size;
}

function validateOptions(errors: FieldError[], path: FieldError['path'], options: unknown): number {
  if (options === undefined || options === null) return 0;
  if (!Array.isArray(options)) {
    errors.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return 0;
  }
  if (options.length > 25)
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let size = 0;
  let seenOptional = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    const p = [...path, i];
    if (!isObj(o)) return;
    validateName(errors, [...p, 'name'], o.name, true);
    if (typeof o.name === 'string') {
      if (names.has(o.name))
        errors.push({ path: [...p, 'name'], code: 'DUPLICATE', message: 'Duplicate option name' });
      names.add(o.name);
    }
    maxLen(errors, [...p, 'description'], o.description, 100, 1);
    size += len(o.name) + len(o.description);
    size += validateLocalizations(errors, [...p, 'name_localizations'], o.name_localizations, (q, v) =>
      validateName(errors, q, v, true),
    );
    size += validateLocalizations(
      errors,
      [...p, 'description_localizations'],
      o.description_localizations,
      (q, v) => maxLen(errors, q, v, 100, 1),
    );
    if (o.type !== 1 && o.type !== 2) {
      if (o.required && seenOptional) {
        errors.push({
          path: [...p, 'required'],
          code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          message: 'Required options must be placed before non-required options',
        });
      }
      if (!o.required) seenOptional = true;
    }
    for (const k of ['min_length', 'max_length'] as const) {
      if (o[k] !== undefined && (typeof o[k] !== 'number' || o[k] < 0 || o[k] > 6000)) {
        errors.push({
          path: [...p, k],
          code: 'NUMBER_TYPE_MAX',
          message: 'int value should be less than or equal to 6000.',
        });
      }
    }
    if (Array.isArray(o.choices)) {
      if (o.choices.length > 25) {
        errors.push({
          path: [...p, 'choices'],
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 25 or fewer in length.',
        });
      }
      o.choices.forEach((c, j) => {
        if (!isObj(c)) return;
        maxLen(errors, [...p, 'choices', j, 'name'], c.name, 100, 1);
        size += len(c.name) + len(String(c.value ?? ''));
      });
    }
    size += validateOptions(errors, [...p, 'options'], o.options);
  });
  return size;
}

export function validateCommands(list: unknown, max: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(list)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  if (list.length > max)
    errors.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  const seen = new Set<string>();
  list.forEach((cmd, i) => {
    const size = validateCommand(errors, [i], cmd);
    if (size > 8000)
      errors.push({
        path: [i],
        code: 'APPLICATION_COMMAND_TOO_LARGE',
        message: 'Command exceeds maximum size (8000)',
      });
    if (isObj(cmd)) {
      const key = `${cmd.type ?? 1}:${String(cmd.name)}`;
      if (seen.has(key))
        errors.push({
          path: [i, 'name'],
          code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
          message: 'Application command names must be unique',
        });
      seen.add(key);
    }
  });
  return errors;
}

export function validateSingleCommand(cmd: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const size = validateCommand(errors, [], cmd);
  if (size > 8000)
    errors.push({
      path: [],
      code: 'APPLICATION_COMMAND_TOO_LARGE',
      message: 'Command exceeds maximum size (8000)',
    });
  return errors;
}
