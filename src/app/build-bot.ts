import path from 'node:path';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Keyv } from 'keyv';
import type { AnyEvent } from '../events/event.js';
import { events } from '../events/index.js';
import { AuditLog } from '../services/audit/audit-log.js';
import { BudgetLedger } from '../services/budget/budget-ledger.js';
import { loadEncryptionKey } from '../services/crypto/encryption-key.js';
import { SealedBox } from '../services/crypto/sealed-box.js';
import { clientGuildView } from '../services/discord/guild-view.js';
import { ReplyEditor } from '../services/discord/reply-editor.js';
import { createCallbackHandler, type RunningHttpServer, startHttpServer } from '../services/http/index.js';
import { CallbackRegistry } from '../services/jobs/callback-registry.js';
import { DraftStore } from '../services/jobs/draft-store.js';
import { createJobRunner, type JobRunner } from '../services/jobs/job-runner.js';
import { JobStore } from '../services/jobs/job-store.js';
import { JobTracker } from '../services/jobs/job-tracker.js';
import { createTaskWindowMs } from '../services/jobs/launch.js';
import { MessageForms } from '../services/jobs/message-forms.js';
import { OtherModels } from '../services/jobs/other-models.js';
import { ReceiptStore } from '../services/jobs/receipts.js';
import { JobSubmitter } from '../services/jobs/submit-job.js';
import { TakeGroups } from '../services/jobs/take-groups.js';
import { VideoLinks } from '../services/jobs/video-links.js';
import { KieClient, KieLimiters } from '../services/kie/index.js';
import { Guardrails } from '../services/limits/guardrails.js';
import { ImageKeeper } from '../services/media/image-keeper.js';
import { MediaFetcher } from '../services/media/safe-fetch.js';
import { removeStaleScratchFiles } from '../services/media/scratch-files.js';
import { ModelAvailability } from '../services/models/availability.js';
import { ModelCatalog } from '../services/models/model-catalog.js';
import { createModelRegistry } from '../services/models/registry.js';
import { Blocklist, type ModerationDeps } from '../services/moderation/moderation.js';
import { EtaBook } from '../services/quota/eta-book.js';
import { renderBudgetWarning } from '../services/render/audit-messages.js';
import { JobMessages } from '../services/render/job-messages.js';
import { SettingsStore } from '../services/settings/settings-store.js';
import { SetupService } from '../services/setup/setup-service.js';
import { openKeyv, redisEvalOf } from '../services/store/open-keyv.js';
import { createEndedJobRecorder } from '../services/usage/record-ended-job.js';
import { UsageLog } from '../services/usage/usage-log.js';
import { UserFacingError } from '../services/user-facing-error.js';
import type { BotContext } from './bot-context.js';
import { type Config, trustedMediaOrigins } from './config.js';
import { connectToDiscord, discordTargetOf } from './connect-discord.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { WorkInFlight } from './work-in-flight.js';

/** Parts a test (or a benchmark) may put in place of the real ones. */
export interface BotOverrides {
  keyv?: Keyv;
  kie?: KieClient;
  /** The secret box; default: ENCRYPTION_KEY, else the key file in DATA_DIR. */
  box?: SealedBox;
  now?: () => number;
}

/** The bot, built but not connected: `start` logs in, `stop` drains and closes everything. */
export interface Bot {
  client: Client;
  context: BotContext;
  runner: JobRunner;
  /** Serves HTTP and connects to Discord; a StartupError says in one line why Discord could not be reached. */
  start(): Promise<void>;
  /** Stops taking work, lets what is under way finish (bounded), closes Discord, Kie and the store. */
  stop(reason: string): Promise<void>;
}

const STORE_CHECK_MS = 2_000;
/** How long a shutdown waits for commands and job steps under way. */
export const SHUTDOWN_DRAIN_MS = 6_000;

/**
 * The composition root: config → store → services → client. `src/index.ts` calls it for the
 * real bot; tests call it with stand-ins. Nothing here reads process.env.
 */
export async function buildBot(config: Config, logger: Logger, overrides: BotOverrides = {}): Promise<Bot> {
  const metrics = new Metrics();
  const box =
    overrides.box ?? new SealedBox(await loadEncryptionKey(config.ENCRYPTION_KEY, config.DATA_DIR, logger));
  const keyv = overrides.keyv ?? openKeyv(config.STORE_URL, { namespace: config.STORE_NAMESPACE });
  keyv.on('error', (error: unknown) => logger.error({ err: error }, 'store error'));
  const jobs = new JobStore(keyv, logger, overrides.now);
  const settings = new SettingsStore(keyv, box, logger);
  const models = createModelRegistry();
  const unknownDefaults = config.DEFAULT_MODELS.filter((id) => !models.get(id));
  if (unknownDefaults.length > 0)
    logger.warn(
      { models: unknownDefaults },
      'DEFAULT_MODELS names models the bot does not know; they are skipped',
    );
  const kie =
    overrides.kie ??
    new KieClient({
      apiUrl: config.KIE_API_URL,
      uploadUrl: config.KIE_UPLOAD_URL,
      timeoutMs: config.KIE_TIMEOUT_MS,
      logger,
      // On Redis, every process (shard, host) draws from one budget per Kie key.
      limiter: new KieLimiters({ redis: redisEvalOf(keyv), namespace: config.STORE_NAMESPACE }),
      onAttempt: (route, outcome, ok) => {
        metrics.countKieCall(route, outcome);
        if (!ok) metrics.countKieError(route, outcome);
      },
    });
  const catalog = new ModelCatalog({ keyv, registry: models, source: kie, logger });
  const availability = new ModelAvailability({ keyv, registry: models, logger, catalog });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    rest: { api: config.DISCORD_API_URL, retries: config.DISCORD_REST_RETRIES, timeout: 120_000 },
  });
  const replies = new ReplyEditor(client.rest, logger);
  // Videos and images are fetched from URLs others chose: public https only, but for our own origins.
  const media = new MediaFetcher({ trustedOrigins: trustedMediaOrigins(config) });
  watchDiscordRest(client, logger);
  const messages = new JobMessages(models, overrides.now);
  const eta = new EtaBook(keyv, logger);
  // One instance for the submitter and /animate-quota: it counts jobs past the checks not yet recorded.
  const guardrails = new Guardrails(keyv, jobs);
  // The monthly budget: a job holds its estimate for its whole life at most, then its real charge.
  const ledger = new BudgetLedger(keyv, logger, {
    holdMs: createTaskWindowMs(config) + config.JOB_DEADLINE_MINUTES * 60_000 + 3 * 60 * 60_000,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const usage = new UsageLog(keyv, logger, overrides.now);
  // A job's end is charged and logged before its transition answers, then told to the audit log.
  jobs.onEnded(
    createEndedJobRecorder({
      settings,
      ledger,
      usage,
      models,
      logger,
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
  );
  // The audit log channel: every job's end (told by the store), refusals, admin changes, and the
  // budget's 80 % warning (status shows it too).
  const audit = new AuditLog({
    rest: client.rest,
    settings,
    models,
    guilds: clientGuildView(client),
    logger,
  });
  jobs.onEnded((job) => audit.noteJobEnded(job));
  ledger.onBudgetWarning((warning) =>
    audit.postNotice(warning.guildId, (locale) => renderBudgetWarning(locale, warning)),
  );
  const moderation: ModerationDeps = { logger, audit };
  const otherModels = new OtherModels({ availability, settings, logger });
  const takes = new TakeGroups({ jobs, replies, box, messages, models, logger, otherModels });
  // Videos stream through files here; those a crash left are removed before any delivery.
  const scratchDir = path.join(config.DATA_DIR, 'scratch');
  const leftovers = await removeStaleScratchFiles(scratchDir);
  if (leftovers.length > 0)
    logger.info({ files: leftovers.length }, 'removed videos a crash left half-delivered');
  const runner = createJobRunner({
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
    createTaskWindowMs: createTaskWindowMs(config),
    maxConcurrentDeliveries: config.MAX_CONCURRENT_DELIVERIES,
    scratchDir,
    eta,
    otherModels,
    takes,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const tracker = new JobTracker({
    jobs,
    step: runner.step,
    logger,
    onLag: (ms) => metrics.observePollLag(ms),
  });
  const callbackRegistry = new CallbackRegistry(keyv, jobs, settings, logger);
  const drafts = new DraftStore(keyv, logger);
  // Each job's image, for Remix and Again once Kie has deleted its copy (after about a day).
  const images = new ImageKeeper({
    dir: path.join(config.DATA_DIR, 'images'),
    retentionDays: config.IMAGE_RETENTION_DAYS,
    maxBytes: config.IMAGE_STORE_MAX_MB * 1024 * 1024,
    logger,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  let shuttingDown = false;
  // Aborts a start still reaching Discord when the bot is stopped meanwhile (Ctrl-C while retrying).
  const stopping = new AbortController();
  // A start that could not reach Discord closes what it opened without the shutdown lines.
  let quietStop = false;
  const inFlight = new WorkInFlight();
  const context: BotContext = {
    config,
    logger,
    metrics,
    box,
    jobs,
    settings,
    setup: new SetupService(settings, jobs, kie, logger, { callbacksEnabled: Boolean(config.PUBLIC_URL) }),
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
      guardrails,
      ledger,
      ...(moderation.audit ? { moderationAudit: moderation.audit } : {}),
      media,
      availability,
      drafts,
      images,
      onUnsaved: (job) => runner.adopt(job),
      ...(config.PUBLIC_URL
        ? { callbacks: { publicUrl: config.PUBLIC_URL, registry: callbackRegistry } }
        : {}),
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
    guardrails,
    eta,
    ledger,
    usage,
    blocklist: new Blocklist(settings, moderation),
    audit,
    videoLinks: new VideoLinks({ kie, settings, logger, ...(overrides.now ? { now: overrides.now } : {}) }),
    availability,
    drafts,
    forms: new MessageForms(keyv, logger),
    receipts: new ReceiptStore(keyv, box, logger),
    tracker,
    replies,
    messages,
    takes,
    commandState: keyv,
    isShuttingDown: () => shuttingDown,
    checkStore: () => checkStore(keyv),
  };
  for (const event of events) register(client, context, inFlight, event);

  let http: RunningHttpServer | undefined;
  const bot: Bot = {
    client,
    context,
    runner,
    async start() {
      http = await startHttp(config, logger, metrics, {
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
      // Kie's model list for the keys of this process's servers, at start and hourly.
      client.once(Events.ClientReady, () =>
        catalog.start(async () => {
          const keys = await Promise.all(
            [...client.guilds.cache.keys()].map((guildId) =>
              settings.openKieKey(guildId).catch(() => undefined),
            ),
          );
          return keys.filter((key): key is string => key !== undefined);
        }),
      );
      await images.start();
      try {
        await connectToDiscord({
          target: discordTargetOf(config),
          logger,
          login: () => client.login(config.DISCORD_TOKEN),
          signal: stopping.signal,
        });
      } catch (error) {
        // Stopped while connecting: stop() closes everything and the start simply ends.
        if (stopping.signal.aborted) return;
        quietStop = true;
        await bot.stop('could not connect to Discord');
        throw error;
      }
    },
    async stop(reason) {
      if (shuttingDown) return;
      shuttingDown = true;
      stopping.abort();
      if (!quietStop)
        logger.info(
          { reason, jobs: tracker.size },
          'shutting down; unfinished jobs resume at the next start',
        );
      await http?.close();
      images.stop();
      // Commands and steps under way finish against an open store (bounded: a container manager
      // kills after ~10 s); what is cut short is recorded well enough to resume or be answered.
      const [steps, handlers] = await Promise.all([
        tracker.stop(SHUTDOWN_DRAIN_MS),
        inFlight.drain(SHUTDOWN_DRAIN_MS),
      ]);
      if (steps + handlers > 0)
        logger.warn({ steps, handlers }, 'stopping with work under way; it resumes at the next start');
      catalog.stop();
      await client.destroy();
      await kie.close();
      await media.close();
      await keyv.disconnect();
      if (!quietStop) logger.info('stopped');
    },
  };
  return bot;
}

/** Discord's rate limits and server errors are handled by @discordjs/rest; say so in the log. */
function watchDiscordRest(client: Client, logger: Logger): void {
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
    metricsPort: config.METRICS_PORT,
    health: { discordReady: deps.discordReady, storeReachable: deps.storeReachable },
    ...(config.PUBLIC_URL
      ? { callbacks: createCallbackHandler({ jobs: deps.callbacks, onCallback: deps.wake, logger, metrics }) }
      : {}),
  });
  return server;
}

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

function register(client: Client, context: BotContext, inFlight: WorkInFlight, event: AnyEvent): void {
  // discord.js hands each event its own arguments; the list's union type cannot say which.
  const execute = event.execute as (context: BotContext, ...args: unknown[]) => Promise<void>;
  const listener = (...args: unknown[]) => void inFlight.run(() => execute(context, ...args));
  if (event.once) client.once(event.name, listener);
  else client.on(event.name, listener);
}
