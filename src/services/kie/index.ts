export {
  type CreateTaskRequest,
  DEFAULT_USER_AGENT,
  defaultKieRetry,
  KieClient,
  type KieClientOptions,
  type KieRetryOptions,
} from './client.js';
export { isModelUnavailable } from './error-mapping.js';
export {
  isKieError,
  KieError,
  type KieErrorKind,
  KieFeatureDisabledError,
  KieGenerationFailedError,
  KieInsufficientCreditsError,
  KieInvalidKeyError,
  KieMaintenanceError,
  KieMalformedResultError,
  KieNetworkError,
  KieNonJsonError,
  KieRateLimitedError,
  type KieRoute,
  KieTimeoutError,
  KieUnexpectedAnswerError,
  KieUnknownTaskError,
  KieUpstreamError,
  KieValidationError,
} from './errors.js';
export { defaultKieLimits, type KieLimits, spacingMs } from './limiter.js';
export {
  type KieCatalogModel,
  type KieModelCatalog,
  type KieTask,
  type KieTaskState,
  kieTaskStates,
} from './schemas.js';
export { keyId, maskKey } from './secrets.js';
