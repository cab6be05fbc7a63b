import { describe, expect, it } from 'vitest';
import { enUS } from '../../../src/services/i18n/en-us.js';
import { catalogues, type MessageKey, resolveLocale, translate } from '../../../src/services/i18n/index.js';
import { zhCN } from '../../../src/services/i18n/zh-cn.js';

const paramsOf = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
const keys = Object.keys(enUS) as MessageKey[];
const sameSet = (a: Set<unknown>, b: Set<unknown>) =>
  a.size === b.size && [...a].every((item) => b.has(item));

/**
 * What may stay in Latin letters in a zh-CN string: inline code (`/animate-setup key`),
 * {params}, and names that are not translated.
 */
function withoutUntranslatables(text: string): string {
  return text
    .replace(/`[^`]*`/g, '')
    .replace(/\{\w+\}/g, '')
    .replace(/\bkie\.ai(\/[\w-]+)?/g, '')
    .replace(/\b(Kie AI|Kie|Discord|API)\b/g, '');
}

describe('message catalogues', () => {
  it('define the same keys in en-US and zh-CN', () => {
    expect(Object.keys(zhCN).sort()).toEqual([...keys].sort());
    expect(Object.keys(catalogues).sort()).toEqual(['en-US', 'zh-CN']);
  });

  it('leave no message empty', () => {
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      for (const key of keys) expect(catalogue[key].trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('use the same {params} in both languages for every key', () => {
    const mismatched = keys
      .filter((key) => !sameSet(paramsOf(enUS[key]), paramsOf(zhCN[key])))
      .map((key) => ({ key, enUS: enUS[key], zhCN: zhCN[key] }));
    expect(mismatched).toEqual([]);
  });

  it('write every zh-CN message in Chinese, leaving only code and names in Latin letters', () => {
    const untranslated = keys.filter(
      (key) => !/\p{Script=Han}/u.test(zhCN[key]) || /[A-Za-z]{2,}/.test(withoutUntranslatables(zhCN[key])),
    );
    expect(untranslated.map((key) => ({ key, zhCN: zhCN[key] }))).toEqual([]);
  });
});

describe('resolveLocale', () => {
  it.each([
    [['fr', 'zh-CN'], 'zh-CN'],
    [['fr', 'de'], 'en-US'],
    [['zh-CN', 'en-US'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en-US'],
    [['zh-TW'], 'zh-CN'],
    [[null, undefined, 'zh-CN'], 'zh-CN'],
    [[], 'en-US'],
  ] as const)('picks the first spoken locale of %j → %s', (candidates, expected) => {
    expect(resolveLocale(...candidates)).toBe(expected);
  });
});

describe('translate', () => {
  it('fills every parameter it is given', () => {
    expect(translate('en-US', 'error.imageTooLarge', { size: '12.0 MB', limit: '10.0 MB' })).toBe(
      'That image is 12.0 MB; the limit is 10.0 MB. Please attach a smaller one.',
    );
    expect(translate('zh-CN', 'status.seconds', { seconds: 10 })).toBe('10 秒');
  });

  it('keeps a parameter it was not given visible rather than dropping it', () => {
    const text = translate('en-US', 'error.imageTooLarge', { size: '12.0 MB' });
    expect(text).toContain('12.0 MB');
    expect(text).toContain('{limit}');
  });

  it('ignores parameters the message does not use', () => {
    expect(translate('en-US', 'status.title', { extra: 'x' })).toBe(enUS['status.title']);
  });

  it('does not treat replacement patterns in a value as special', () => {
    expect(translate('en-US', 'result.prompt', { prompt: "$& $' $1 {prompt}" })).toBe(
      "Prompt: $& $' $1 {prompt}",
    );
  });

  it('speaks English for a locale it does not know', () => {
    expect(translate('fr', 'status.title')).toBe(enUS['status.title']);
    expect(translate('zh-CN', 'status.title')).toBe(zhCN['status.title']);
  });
});
