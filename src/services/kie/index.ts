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
  type KieErrorInit,
  type KieErrorKind,
  type KieErrorOf,
  type KieRoute,
  kieErrorKinds,
} from './errors.js';
export {
  defaultKieLimits,
  type KieLimiter,
  KieLimiters,
  type KieLimitersOptions,
  type KieLimits,
  type RedisEval,
  spacingMs,
} from './limiter.js';
export {
  type KieCatalogModel,
  type KieModelCatalog,
  type KieTask,
  type KieTaskState,
  kieTaskStates,
} from './schemas.js';
export { keyId, maskKey } from './secrets.js';
