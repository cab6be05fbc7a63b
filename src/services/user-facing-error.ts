import { type MessageKey, type MessageParams, translate } from './i18n/index.js';
import { isKieError, isModelUnavailable } from './kie/index.js';

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

/** Turns a Kie error into what the member is told, or undefined when it is a fault of ours. */
export function userFacingKieError(error: unknown, model: string): UserFacingError | undefined {
  if (!isKieError(error)) return undefined;
  if (isModelUnavailable(error, model)) return new UserFacingError('error.kie.modelUnavailable', { model });
  if (error.ambiguous) return new UserFacingError('error.kie.ambiguousSubmit');
  const detail = error.detail ?? error.kind;
  switch (error.kind) {
    case 'invalid-key':
      return new UserFacingError('error.kie.invalidKey');
    case 'insufficient-credits':
      return new UserFacingError('error.kie.insufficientCredits');
    case 'validation':
      return new UserFacingError('error.kie.validation', { detail });
    case 'rate-limited':
      return new UserFacingError('error.kie.rateLimited');
    case 'maintenance':
      return new UserFacingError('error.kie.maintenance');
    case 'generation-failed':
      return new UserFacingError('job.failed.generation', { reason: detail });
    default:
      return new UserFacingError('error.kie.upstream', { detail: error.kind });
  }
}
