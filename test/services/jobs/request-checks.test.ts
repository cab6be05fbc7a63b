import { describe, expect, it } from 'vitest';
import { normalisePrompt } from '../../../src/services/jobs/request-checks.js';

describe('normalisePrompt', () => {
  it('strips C0 control characters and DEL', () => {
    expect(normalisePrompt('make\u0000 the\u0007 cat\u001b[31m dance\u007f')).toBe('make the cat[31m dance');
    expect(normalisePrompt('a\u0008b\u000bc\u000cd\u000ee\u001ff')).toBe('abcdef');
  });

  it('keeps newlines, carriage returns and tabs inside the prompt', () => {
    expect(normalisePrompt('first the cat sits\nthen it jumps\r\n\tand lands')).toBe(
      'first the cat sits\nthen it jumps\r\n\tand lands',
    );
  });

  it('keeps non-Latin text and emoji untouched', () => {
    expect(normalisePrompt('让猫跳舞 🐱 — très bien')).toBe('让猫跳舞 🐱 — très bien');
  });

  it('trims surrounding whitespace', () => {
    expect(normalisePrompt('  \n make it dance \t\n')).toBe('make it dance');
  });

  it.each([
    ['spaces', '     '],
    ['newlines and tabs', '\n\t\r\n  \t'],
    ['Unicode spaces', '\u00a0\u3000\u2003'],
    ['control characters only', '\u0000\u0001\u007f'],
    ['control characters between spaces', ' \u0000 \u001b '],
    ['nothing', ''],
  ])('turns a prompt of %s into an empty string', (_, prompt) => {
    expect(normalisePrompt(prompt)).toBe('');
  });

  it('strips C1 control characters too', () => {
    expect(normalisePrompt('make\u009b it\u0090 dance')).toBe('make it dance');
  });
});
