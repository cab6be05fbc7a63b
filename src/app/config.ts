import { z } from 'zod';
import { DEFAULT_MODEL_IDS } from '../services/models/registry.js';

const positiveInt = z.coerce.number().int().positive();

/** The environment the bot reads, with defaults. `.env.example` mirrors this schema. */
export const configSchema = z.object({
  DISCORD_TOKEN: z.string().min(1),
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  /**
   * Where Discord serves attachments. Only its origin is used: trusted for image downloads like
   * the two Kie URLs, for a Discord-compatible server or a stand-in whose CDN is not public.
   */
  DISCORD_CDN_URL: z.url().default('https://cdn.discordapp.com'),
  KIE_API_URL: z.url().default('https://api.kie.ai'),
  KIE_UPLOAD_URL: z.url().default('https://kieai.redpandaai.co'),
  STORE_URL: z
    .string()
    .regex(/^(sqlite|redis|rediss):\/\//, 'must start with sqlite:// or redis://')
    .default('sqlite://data/animate.sqlite'),
  /** Prefix of every stored key, so several bots can share one Redis. */
  STORE_NAMESPACE: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .default('animate'),
  DATA_DIR: z.string().min(1).default('data'),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: one readable line per event; `json`: one JSON object per line; `auto`: pretty on a terminal. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /**
   * Models tried in order for a server whose admin picked none: the first one Kie accepts makes
   * the video. Comma-separated Kie model ids.
   */
  DEFAULT_MODELS: z
    .string()
    .transform((ids) => [...new Set(ids.split(',').map((id) => id.trim()))].filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'must name at least one model'))
    .default([...DEFAULT_MODEL_IDS]),
  /** Older single-model setting: when set, it leads DEFAULT_MODELS. */
  DEFAULT_MODEL: z.string().min(1).optional(),
  /** Give up on a Kie task this long after it was submitted. */
  JOB_DEADLINE_MINUTES: positiveInt.default(30),
  /** Per-request timeout for Kie calls. */
  KIE_TIMEOUT_MS: positiveInt.default(30_000),
  /** Largest video the bot downloads; larger results are linked, never buffered. */
  MAX_VIDEO_BYTES: positiveInt.default(100 * 1024 * 1024),
  /** Port of the HTTP server for /healthz, /readyz, /metrics and Kie callbacks; unset: no server. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** A port of its own for /metrics (on HTTP_HOST); set, /metrics leaves HTTP_PORT. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Public HTTPS address of the HTTP server; set, Kie calls back when a job ends (polling stays on). */
  PUBLIC_URL: z.url().optional(),
  /** Videos downloaded and uploaded at once by this process; each streams through a file in DATA_DIR/scratch. */
  MAX_CONCURRENT_DELIVERIES: positiveInt.default(4),
  /** Days a job's image is kept in DATA_DIR/images after its last use, for Remix, Again and Retry once Kie deleted its copy. */
  IMAGE_RETENTION_DAYS: positiveInt.default(14),
  /** Disk space kept images may take, in MB (the oldest go first); 0 keeps no images. */
  IMAGE_STORE_MAX_MB: z.coerce.number().int().nonnegative().default(1024),
  /** How long start-up (and the first-start setup) waits for one answer from Discord. */
  DISCORD_CONNECT_TIMEOUT_MS: positiveInt.default(30_000),
  /** Tries to reach Discord at start-up; network failures and silences are tried again, a refused token is not. */
  DISCORD_CONNECT_ATTEMPTS: positiveInt.max(100).default(6),
  /** Wait before the second try; it doubles after each failed try (at most a minute). */
  DISCORD_CONNECT_RETRY_MS: positiveInt.default(4_000),
  /** Retries @discordjs/rest makes on 5xx and network errors. */
  DISCORD_REST_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** npm run start:sharded: shards of the whole bot; 'auto' asks Discord (GET /gateway/bot). */
  SHARD_COUNT: z.union([z.literal('auto'), positiveInt]).default('auto'),
  /** npm run start:sharded: the shards this host runs, e.g. `0,1`; unset: all of them. */
  SHARD_IDS: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be shard ids separated by commas, e.g. 0,1')
    .transform((ids) => [...new Set(ids.split(',').map(Number))].sort((a, b) => a - b))
    .optional(),
});

const requiredHints: Record<string, string> = {
  DISCORD_TOKEN: 'the bot token from the Discord developer portal, Bot tab',
};

const checkedSchema = configSchema.superRefine((config, context) => {
  if (config.PUBLIC_URL && config.HTTP_PORT === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['PUBLIC_URL'],
      message: 'needs HTTP_PORT, where Kie’s callbacks arrive',
    });
  }
  if (config.METRICS_PORT !== undefined && config.HTTP_PORT === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['METRICS_PORT'],
      message: 'needs HTTP_PORT: it moves /metrics off the bot’s HTTP server to a port of its own',
    });
  }
  if (
    config.METRICS_PORT !== undefined &&
    config.METRICS_PORT !== 0 &&
    config.METRICS_PORT === config.HTTP_PORT
  ) {
    context.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from HTTP_PORT' });
  }
});

export type Config = Readonly<Omit<z.infer<typeof configSchema>, 'DEFAULT_MODEL'>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The origins whose media the bot fetches as they are, any scheme and any address: the ones
 * the operator configured (Discord's API and CDN, Kie's API, Kie's upload service). Every
 * other host must be public and https.
 */
export function trustedMediaOrigins(config: Config): string[] {
  const urls = [config.DISCORD_API_URL, config.DISCORD_CDN_URL, config.KIE_API_URL, config.KIE_UPLOAD_URL];
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

/** Parses the environment once; throws a ConfigError whose message names every bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // An empty line copied from .env.example means "use the default", not "set to empty".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = checkedSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const missing = env[name] === undefined || env[name] === '';
      if (missing) return `${name} is required (${requiredHints[name] ?? 'see .env.example'})`;
      return `${name} is invalid (${issue.message})`;
    });
    throw new ConfigError(`Configuration error: ${problems.join('; ')}`);
  }
  const { DEFAULT_MODEL: first, ...config } = result.data;
  const DEFAULT_MODELS = first
    ? [first, ...config.DEFAULT_MODELS.filter((id) => id !== first)]
    : config.DEFAULT_MODELS;
  return Object.freeze({ ...config, DEFAULT_MODELS });
}
