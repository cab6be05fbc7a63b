import { describe, expect, it } from 'vitest';
import { KieError, type KieErrorKind, kieErrorKinds } from '../../src/services/kie/index.js';
import { userFacingKieError } from '../../src/services/user-facing-error.js';

const MODEL = 'bytedance/seedance-2-mini';

describe('what the member is told about a Kie error', () => {
  it('tells of a sub-key over its own limit (433) in both languages, pointing the admin at the key', () => {
    const error = new KieError('sub-key-limited', 'Kie createTask: this sub-key is over its own limit', {
      route: 'createTask',
      code: 433,
      detail: 'Sub-key usage limit exceeded',
    });
    expect(error.retryable).toBe(false);
    const told = userFacingKieError(error, MODEL);
    expect(told?.key).toBe('error.kie.subKeyLimited');
    expect(told?.toLocalised('en-US')).toMatch(/limit.*kie\.ai.*\/animate-setup key/s);
    expect(told?.toLocalised('zh-CN')).toContain('433');
    expect(told?.toLocalised('zh-CN')).not.toBe(told?.toLocalised('en-US'));
  });

  it('has something to say for every kind, and never the raw Kie detail except where it names the problem', () => {
    // Every kind's own data too (taskId, requestSent), so each kind is built as the client builds it.
    const init = {
      route: 'credit',
      detail: 'secret-looking detail',
      taskId: 't',
      requestSent: false,
    } as const;
    for (const kind of Object.keys(kieErrorKinds) as KieErrorKind[]) {
      const error = new KieError(kind, `Kie credit: ${kind}`, init);
      const told = userFacingKieError(error, MODEL);
      expect(told, kind).toBeDefined();
      const text = told?.toLocalised('en-US') ?? '';
      if (kind !== 'validation' && kind !== 'generation-failed')
        expect(text, kind).not.toContain('secret-looking');
    }
  });

  it('leaves errors that are not Kie’s to the caller', () => {
    expect(userFacingKieError(new Error('boom'), MODEL)).toBeUndefined();
  });
});
