import { type DestinationStream, type Logger, pino, stdSerializers } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear in a log object. Secrets are also kept out of log
 * calls by construction; this is the net under that rope.
 */
export const redactedPaths = [
  'apiKey',
  '*.apiKey',
  'kieKey',
  '*.kieKey',
  'token',
  '*.token',
  'interactionToken',
  '*.interactionToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'encryptionKey',
  '*.encryptionKey',
  // Kie's webhook signing key: a resolved callback job carries it as `hmacKey`.
  'hmacKey',
  '*.hmacKey',
  'webhookHmacKey',
  '*.webhookHmacKey',
];

/** The token in a Discord webhook or interaction-callback URL (@discordjs/rest puts the URL on its errors). */
const URL_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)[^/?\s"']+/g;

/** pino's error serializer, with interaction tokens blanked in every string it keeps. */
function serializeError(error: Error): Record<string, unknown> {
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(serialized)) {
    if (typeof value === 'string') serialized[field] = value.replace(URL_TOKEN, '$1[redacted]');
  }
  return serialized;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    serializers: { err: serializeError },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { app: 'animate-bot' },
  };
  return destination ? pino(options, destination) : pino(options);
}
