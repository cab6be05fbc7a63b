import { type MessageKey, type MessageParams, translate } from './i18n/index.js';
import { isKieError, isModelUnavailable, type KieError, type KieErrorKind } from './kie/index.js';

/** An expected problem the member can act on, told in their language; never logged as a fault. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(key);
  }

  toLocalised(locale: string): string {
    return translate(locale, this.key, this.params);
  }
}

/** What the member is told for each kind of Kie error; a new kind must be placed here. */
const KIE_MESSAGES: Record<KieErrorKind, (error: KieError) => UserFacingError> = {
  'invalid-key': () => new UserFacingError('error.kie.invalidKey'),
  'insufficient-credits': () => new UserFacingError('error.kie.insufficientCredits'),
  validation: (error) => new UserFacingError('error.kie.validation', { detail: error.detail ?? error.kind }),
  'rate-limited': () => new UserFacingError('error.kie.rateLimited'),
  'sub-key-limited': () => new UserFacingError('error.kie.subKeyLimited'),
  maintenance: () => new UserFacingError('error.kie.maintenance'),
  'generation-failed': (error) =>
    new UserFacingError('job.failed.generation', { reason: error.detail ?? error.kind }),
  upstream: upstream,
  'feature-disabled': upstream,
  'unknown-task': upstream,
  'non-json': upstream,
  'unexpected-answer': upstream,
  'malformed-result': upstream,
  timeout: upstream,
  network: upstream,
};

function upstream(error: KieError): UserFacingError {
  return new UserFacingError('error.kie.upstream', { detail: error.kind });
}

/** Turns a Kie error into what the member is told, or undefined when it is a fault of ours. */
export function userFacingKieError(error: unknown, model: string): UserFacingError | undefined {
  if (!isKieError(error)) return undefined;
  if (isModelUnavailable(error, model)) return new UserFacingError('error.kie.modelUnavailable', { model });
  if (error.ambiguous) return new UserFacingError('error.kie.ambiguousSubmit');
  return KIE_MESSAGES[error.kind](error);
}
