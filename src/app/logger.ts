import { createRequire } from 'node:module';
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

/** `LOG_FORMAT`: readable lines, JSON lines, or readable when stdout is a terminal. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * The process's logger on stdout: readable lines on a terminal (or when asked), one JSON object
 * per line otherwise (for a log collector). Redaction happens before either, so both are safe.
 */
export function createProcessLogger(
  level: string,
  format: LogFormat,
  stdout: NodeJS.WriteStream = process.stdout,
): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && stdout.isTTY === true);
  if (pretty) return createLogger(level, prettyStream(stdout));
  // The real stdout gets pino's own synchronous writer on fd 1.
  return createLogger(level, stdout === process.stdout ? undefined : stdout);
}

/**
 * pino-pretty in this thread, writing synchronously: a worker-thread transport could lose the
 * last line (the one saying why the bot stopped) when the process exits right after it.
 */
function prettyStream(stdout: NodeJS.WriteStream): DestinationStream {
  // Loaded only when asked for: a JSON-logging process never reads the module.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    sync: true,
    // Its file descriptor (written synchronously), or the stream itself when it has none.
    destination: (stdout as { fd?: number }).fd ?? stdout,
    colorize: stdout.isTTY === true && stdout.hasColors?.() !== false,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app',
    singleLine: true,
  });
}
