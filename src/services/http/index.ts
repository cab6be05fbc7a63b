export {
  type CallbackHandler,
  type CallbackHandlerOptions,
  type CallbackJob,
  type CallbackJobs,
  createCallbackHandler,
  DEFAULT_CALLBACK_BODY_BYTES,
} from './callback-handler.js';
export { CALLBACK_PATH, callbackUrl, isCallbackToken, newCallbackToken } from './callback-token.js';
export {
  type HealthChecks,
  type HttpServerOptions,
  type RunningHttpServer,
  startHttpServer,
} from './server.js';
export { MAX_TIMESTAMP_SKEW_MS, verifyWebhookSignature } from './webhook-signature.js';
