import { type DestinationStream, type Logger, pino } from 'pino';

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
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { app: 'animate-bot' },
  };
  return destination ? pino(options, destination) : pino(options);
}
