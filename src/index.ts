import 'dotenv/config';
import path from 'node:path';
import { Client, type ClientEvents, GatewayIntentBits, Partials } from 'discord.js';
import { commands } from './commands/index.js';
import type { Event } from './events/event.js';
import { interactionCreateEvent } from './events/interaction-create.js';
import { readyEvent } from './events/ready.js';
import type { BotContext } from './services/bot-context.js';
import { type Config, ConfigError, parseConfig, trustedMediaOrigins } from './services/config.js';
import { loadEncryptionKey } from './services/crypto/encryption-key.js';
import { SealedBox } from './services/crypto/sealed-box.js';
import { ReplyEditor } from './services/discord/reply-editor.js';
import { createCallbackHandler, type RunningHttpServer, startHttpServer } from './services/http/index.js';
import { CallbackRegistry } from './services/jobs/callback-registry.js';
import { DraftStore } from './services/jobs/draft-store.js';
import { createJobStep } from './services/jobs/job-step.js';
import { JobStore } from './services/jobs/job-store.js';
import { JobTracker } from './services/jobs/job-tracker.js';
import { ReceiptStore } from './services/jobs/receipts.js';
import { JobSubmitter } from './services/jobs/submit-job.js';
import { KieClient } from './services/kie/index.js';
import { sharedLimiterOptions } from './services/kie/limiter.js';
import { createLogger, type Logger } from './services/logger.js';
import { MediaFetcher } from './services/media/safe-fetch.js';
import { removeStaleScratchFiles } from './services/media/scratch-files.js';
import { Metrics } from './services/metrics.js';
import { ModelAvailability } from './services/models/availability.js';
import { createModelRegistry } from './services/models/registry.js';
import { JobMessages } from './services/render/job-messages.js';
import { SettingsStore } from './services/settings/settings-store.js';
import { Guardrails } from './services/setup/guardrails.js';
import { SetupService } from './services/setup/setup-service.js';
import { leaveManager, shardOfProcess, watchManager } from './services/sharding/index.js';
import { openKeyv } from './services/store/open-keyv.js';
import { UserFacingError } from './services/user-facing-error.js';
import { ensureDiscordToken } from './services/wizard/index.js';
import { WorkInFlight } from './services/work-in-flight.js';

/** The composition root: config → store → services → client. Nothing else reads process.env. */
async function main(): Promise<void> {
  // No token yet: guided setup in a terminal, one clear line otherwise.
  if (!(await ensureDiscordToken(process.env, { commands }))) {
    process.exitCode = 1;
    return;
  }
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const shard = shardOfProcess(process.env); // set under npm run start:sharded
  const logger = shard
    ? createLogger(config.LOG_LEVEL).child({ shard: shard.id })
    : createLogger(config.LOG_LEVEL);
  const metrics = new Metrics();
  const box = new SealedBox(await loadEncryptionKey(config.ENCRYPTION_KEY, config.DATA_DIR, logger));
  const keyv = openKeyv(config.STORE_URL, { namespace: config.STORE_NAMESPACE });
  keyv.on('error', (error: unknown) => logger.error({ err: error }, 'store error'));
  const jobs = new JobStore(keyv, logger);
  const settings = new SettingsStore(keyv, box, logger);
  const models = createModelRegistry();
  const availability = new ModelAvailability({ keyv, registry: models, logger });
  if (!models.get(config.DEFAULT_MODEL)) {
    logger.warn(
      { model: config.DEFAULT_MODEL },
      'DEFAULT_MODEL is not in the registry; /animate will refuse it',
    );
  }
  const kie = new KieClient({
    apiUrl: config.KIE_API_URL,
    uploadUrl: config.KIE_UPLOAD_URL,
    timeoutMs: config.KIE_TIMEOUT_MS,
    logger,
    // On Redis, every process (shard, host) draws from one budget per Kie key.
    bottleneck: sharedLimiterOptions(config.STORE_URL, config.STORE_NAMESPACE),
    onAttempt: (route, outcome, ok) => {
      metrics.countKieCall(route, outcome);
      if (!ok) metrics.countKieError(route, outcome);
    },
  });
  // SHARD_COUNT is for npm run start:sharded; a lone process must not let discord.js read it.
  if (!shard) delete process.env.SHARD_COUNT;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    rest: { api: config.DISCORD_API_URL, retries: config.DISCORD_REST_RETRIES, timeout: 120_000 },
  });
  const replies = new ReplyEditor(client.rest, logger);
  // Discord's rate limits and server errors are handled by @discordjs/rest; say so in the log.
  client.rest.on('rateLimited', (info) =>
    logger.warn(
      { route: info.route, retryAfterMs: info.retryAfter, global: info.global },
      'discord rate limit hit',
    ),
  );
  client.rest.on('response', (request, response) => {
    if (response.status >= 500)
      logger.warn({ route: request.route, status: response.status }, 'discord server error');
  });
  const messages = new JobMessages(models);
  // Videos and images are fetched from URLs others chose: public https only, but for our own origins.
  const media = new MediaFetcher({ trustedOrigins: trustedMediaOrigins(config) });
  // Videos stream through files here; those a crash left are removed before any delivery.
  const scratchDir = path.join(config.DATA_DIR, 'scratch');
  const leftovers = await removeStaleScratchFiles(scratchDir);
  if (leftovers.length > 0)
    logger.info({ files: leftovers.length }, 'removed videos a crash left half-delivered');
  const step = createJobStep({
    jobs,
    kie,
    settings,
    box,
    replies,
    messages,
    logger,
    metrics,
    maxVideoBytes: config.MAX_VIDEO_BYTES,
    downloadTimeoutMs: 5 * 60_000,
    media,
    deadlineMinutes: config.JOB_DEADLINE_MINUTES,
    maxConcurrentDeliveries: config.MAX_CONCURRENT_DELIVERIES,
    scratchDir,
  });
  const tracker = new JobTracker({ jobs, step, logger, onLag: (ms) => metrics.observePollLag(ms) });
  const callbackRegistry = new CallbackRegistry(keyv, jobs, settings, logger);
  const drafts = new DraftStore(keyv, logger);
  const receipts = new ReceiptStore(keyv, box, logger);
  let shuttingDown = false;
  const inFlight = new WorkInFlight();
  const context: BotContext = {
    config,
    logger,
    metrics,
    box,
    jobs,
    settings,
    setup: new SetupService(settings, jobs, kie, logger),
    kie,
    models,
    submitter: new JobSubmitter({
      config,
      jobs,
      settings,
      kie,
      models,
      box,
      logger,
      guardrails: new Guardrails(keyv, jobs),
      availability,
      drafts,
      media,
      ...(config.PUBLIC_URL
        ? { callbacks: { publicUrl: config.PUBLIC_URL, registry: callbackRegistry } }
        : {}),
    }),
    availability,
    drafts,
    receipts,
    tracker,
    replies,
    messages,
    commandState: keyv,
    isShuttingDown: () => shuttingDown,
    checkStore: () => checkStore(keyv),
  };

  register(client, context, inFlight, readyEvent);
  register(client, context, inFlight, interactionCreateEvent);
  const http = await startHttp(config, logger, metrics, {
    discordReady: () => client.isReady(),
    storeReachable: async () => {
      await keyv.get('health-probe');
      return true;
    },
    callbacks: callbackRegistry,
    // A shard wakes only its own guilds' jobs; the owning shard's safety-net poll finds the rest.
    wake: (job) => {
      if (client.guilds.cache.has(job.guildId)) tracker.track({ guildId: job.guildId, id: job.jobId }, 0);
    },
  });

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, jobs: tracker.size }, 'shutting down; unfinished jobs resume at the next start');
    await http?.close();
    // Commands and steps under way finish against an open store (bounded: a container manager
    // kills after ~10 s); what is cut short is recorded well enough to resume or be answered.
    const [steps, handlers] = await Promise.all([
      tracker.stop(SHUTDOWN_DRAIN_MS),
      inFlight.drain(SHUTDOWN_DRAIN_MS),
    ]);
    if (steps + handlers > 0)
      logger.warn({ steps, handlers }, 'stopping with work under way; it resumes at the next start');
    await client.destroy();
    await kie.close();
    await media.close();
    await keyv.disconnect();
    logger.info('stopped');
    logger.flush();
    leaveManager();
    // Whatever still holds the event loop (a Discord request being retried) must not keep a
    // stopped bot alive; nothing is left to save.
    setTimeout(() => process.exit(), SHUTDOWN_EXIT_GRACE_MS).unref();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  if (shard) watchManager(() => void shutdown('manager gone'));

  await client.login(config.DISCORD_TOKEN);
}

/** /healthz, /readyz and /metrics when HTTP_PORT is set; the Kie callback route only with PUBLIC_URL. */
async function startHttp(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  deps: {
    discordReady(): boolean;
    storeReachable(): Promise<boolean>;
    callbacks: CallbackRegistry;
    wake(job: { guildId: string; jobId: string }): void;
  },
): Promise<RunningHttpServer | undefined> {
  if (config.HTTP_PORT === undefined) return undefined;
  const server = await startHttpServer({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    logger,
    metrics,
    health: { discordReady: deps.discordReady, storeReachable: deps.storeReachable },
    ...(config.PUBLIC_URL
      ? { callbacks: createCallbackHandler({ jobs: deps.callbacks, onCallback: deps.wake, logger, metrics }) }
      : {}),
  });
  logger.info({ url: server.url, callbacks: Boolean(config.PUBLIC_URL) }, 'http server listening');
  return server;
}

const STORE_CHECK_MS = 2_000;
/** How long a shutdown waits for commands and job steps under way. */
const SHUTDOWN_DRAIN_MS = 6_000;
/** How long a stopped process may take to exit by itself before it is ended. */
const SHUTDOWN_EXIT_GRACE_MS = 1_500;

/** Refuses new work while the store does not answer (the Redis client would queue calls until it is back). */
async function checkStore(keyv: { get(key: string): Promise<unknown> }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store check timed out')), STORE_CHECK_MS);
  });
  try {
    await Promise.race([keyv.get('health-probe'), timeout]);
  } catch {
    throw new UserFacingError('error.storeUnavailable');
  } finally {
    clearTimeout(timer);
  }
}

function register<K extends keyof ClientEvents>(
  client: Client,
  context: BotContext,
  inFlight: WorkInFlight,
  event: Event<K>,
): void {
  const listener = (...args: ClientEvents[K]) => void inFlight.run(() => event.execute(context, ...args));
  if (event.once) client.once(event.name, listener);
  else client.on(event.name, listener);
}

await main();
