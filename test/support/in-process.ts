import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type Config, parseConfig } from '../../src/app/config.js';
import { SealedBox } from '../../src/services/crypto/sealed-box.js';
import type { ReplyEditor } from '../../src/services/discord/reply-editor.js';
import { DraftStore } from '../../src/services/jobs/draft-store.js';
import type { JobOf, JobRecord } from '../../src/services/jobs/job-record.js';
import {
  type AnimateRequest,
  type SubmitOutcome,
  tokenContext,
} from '../../src/services/jobs/job-requests.js';
import type { JobStepDeps } from '../../src/services/jobs/job-step.js';
import { JobStore } from '../../src/services/jobs/job-store.js';
import { JobSubmitter, type SubmitJobDeps } from '../../src/services/jobs/submit-job.js';
import { KieClient } from '../../src/services/kie/index.js';
import { Guardrails } from '../../src/services/limits/guardrails.js';
import { ImageKeeper } from '../../src/services/media/image-keeper.js';
import { MediaFetcher } from '../../src/services/media/safe-fetch.js';
import { ModelAvailability } from '../../src/services/models/availability.js';
import { createModelRegistry } from '../../src/services/models/registry.js';
import { JobMessages } from '../../src/services/render/job-messages.js';
import { type GuildSettings, SettingsStore } from '../../src/services/settings/settings-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { makePng } from './images.js';
import { makePendingJob, snowflake } from './jobs.js';
import { type KieStandIn, type KieStandInOptions, startKieStandIn } from './kie/stand-in.js';

export const GUILD = '1100000000000000001';
export const MEMBER = '1100000000000000003';
export const KIE_KEY = 'kie-in-process-key-4d2a';

/**
 * The submitter with its real parts in one process (SQLite in memory, the real Kie client
 * against the Kie stand-in, an image server counting its downloads), for tests that need no
 * Discord: what the command hands the submitter, and what comes back.
 */
export interface SubmitWorld {
  kie: KieStandIn;
  config: Config;
  jobs: JobStore;
  settings: SettingsStore;
  drafts: DraftStore;
  box: SealedBox;
  /** Kept images, in a temp folder of this world's own (`imageDir`). */
  images: ImageKeeper;
  imageDir: string;
  submitter: JobSubmitter;
  deps: SubmitJobDeps;
  /** Image downloads the image server answered. */
  imageFetches(): number;
  /**
   * Image downloads open at the image server now, and the most ever open at once. With
   * `holdImages`, each waits until `answerImage()` answers the oldest one still waiting.
   */
  openImageDownloads(): number;
  peakImageDownloads(): number;
  answerImage(): boolean;
  /** Serves these bytes at `path` (every other path: the 64×36 PNG); returns the URL. */
  serveImage(path: string, bytes: Buffer, type: string): string;
  request(overrides?: Partial<AnimateRequest>): AnimateRequest;
  close(): Promise<void>;
}

/** The job an outcome started; throws (naming the outcome) when it started none. */
export function submitted(outcome: SubmitOutcome): JobOf<'submitted'> {
  if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${JSON.stringify(outcome)}`);
  return outcome.job;
}

/** A job as the submitter stores it for this world's guild and key, in the given state. */
export function jobIn<S extends JobRecord['status']>(
  world: SubmitWorld,
  fields: Partial<JobRecord> & { status: S },
): JobOf<S> {
  const base = makePendingJob({ guildId: GUILD });
  return {
    ...base,
    interactionTokenSealed: world.box.seal('interaction-token', tokenContext(base.id)),
    kieKeySealed: world.settings.sealKieKey(GUILD, KIE_KEY),
    ...fields,
  } as unknown as JobOf<S>;
}

/** What the job step needs, on the world's store and Kie stand-in, with these replies and this clock. */
export function jobStepDeps(world: SubmitWorld, replies: ReplyEditor, now: () => number): JobStepDeps {
  return {
    jobs: world.jobs,
    kie: world.deps.kie,
    settings: world.settings,
    box: world.box,
    replies,
    messages: new JobMessages(createModelRegistry()),
    logger: pino({ level: 'silent' }),
    deadlineMinutes: 30,
    createTaskWindowMs: 60_000,
    now,
  };
}

/** A real task at the Kie stand-in, made from the documented Sora 2 input with the world's client. */
export async function createSoraTask(world: SubmitWorld): Promise<string> {
  const model = 'sora-2-image-to-video';
  const input = createModelRegistry()
    .get(model)
    ?.buildInput({ imageUrl: world.request().attachment.url, options: makePendingJob().options });
  return (await world.deps.kie.createTask(KIE_KEY, { model, input: input ?? {} })).taskId;
}

export async function createSubmitWorld(
  options: {
    kie?: KieStandInOptions;
    env?: Record<string, string>;
    limits?: Partial<GuildSettings['limits']>;
    model?: string;
    deps?: Partial<SubmitJobDeps>;
    /** Image requests wait for `answerImage()` instead of being answered at once. */
    holdImages?: boolean;
  } = {},
): Promise<SubmitWorld> {
  const kie = await startKieStandIn({ keys: { [KIE_KEY]: 10_000 }, ...options.kie });
  const png = makePng(64, 36);
  let fetches = 0;
  let open = 0;
  let peak = 0;
  const held: Array<() => void> = [];
  const served = new Map<string, { bytes: Buffer; type: string }>();
  const images: Server = createServer((req, res) => {
    open += 1;
    peak = Math.max(peak, open);
    res.once('close', () => {
      open -= 1;
    });
    const answer = () => {
      fetches += 1;
      const file = served.get(req.url ?? '') ?? { bytes: png, type: 'image/png' };
      res.writeHead(200, { 'content-type': file.type }).end(file.bytes);
    };
    if (options.holdImages) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cat.png`;

  const logger = pino({ level: 'silent' });
  const config = parseConfig({
    DISCORD_TOKEN: 'in-process',
    KIE_API_URL: kie.url,
    KIE_UPLOAD_URL: kie.url,
    KIE_TIMEOUT_MS: '5000',
    ...options.env,
  });
  const keyv = openKeyv('sqlite://:memory:');
  const box = new SealedBox(randomBytes(32));
  const jobs = new JobStore(keyv, logger);
  const settings = new SettingsStore(keyv, box, logger);
  await settings.setKieKey(GUILD, KIE_KEY, MEMBER);
  await settings.update(GUILD, (current) => ({
    ...current,
    model: options.model ?? null,
    limits: { ...current.limits, ...options.limits },
  }));
  const registry = createModelRegistry();
  const client = new KieClient({
    apiUrl: kie.url,
    uploadUrl: kie.url,
    timeoutMs: 5_000,
    logger,
    retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 },
  });
  const drafts = new DraftStore(keyv, logger);
  // The stand-ins' origins are this test's "configured" ones, as DISCORD_API_URL's and KIE_API_URL's are the bot's.
  const media = new MediaFetcher({ trustedOrigins: [kie.url, new URL(imageUrl).origin] });
  const imageDir = path.join(await mkdtemp(path.join(tmpdir(), 'animate-in-process-')), 'images');
  const keeper = new ImageKeeper({
    dir: imageDir,
    retentionDays: config.IMAGE_RETENTION_DAYS,
    maxBytes: config.IMAGE_STORE_MAX_MB * 1024 * 1024,
    logger,
    ...(options.deps?.now ? { now: options.deps.now } : {}),
  });
  const deps: SubmitJobDeps = {
    config,
    jobs,
    settings,
    kie: client,
    models: registry,
    box,
    guardrails: new Guardrails(keyv, jobs),
    availability: new ModelAvailability({ keyv, registry, logger }),
    drafts,
    media,
    images: keeper,
    logger,
    ...options.deps,
  };
  return {
    kie,
    config,
    jobs,
    settings,
    drafts,
    box,
    images: keeper,
    imageDir,
    deps,
    submitter: new JobSubmitter(deps),
    imageFetches: () => fetches,
    openImageDownloads: () => open,
    peakImageDownloads: () => peak,
    answerImage() {
      const answer = held.shift();
      answer?.();
      return answer !== undefined;
    },
    serveImage(path, bytes, type) {
      served.set(path, { bytes, type });
      return new URL(path, imageUrl).toString();
    },
    request: (overrides = {}) => ({
      guildId: GUILD,
      channelId: '1100000000000000002',
      userId: MEMBER,
      locale: 'en-US',
      applicationId: '1100000000000000004',
      interactionId: snowflake(),
      interactionToken: `token-${randomBytes(6).toString('hex')}`,
      interactionCreatedAt: Date.now(),
      replyMessageId: snowflake(),
      memberRoleIds: [],
      attachmentSizeLimit: 10 * 1024 * 1024,
      attachment: { url: imageUrl, contentType: 'image/png', size: png.length, width: 64, height: 36 },
      prompt: 'the cat waves at the camera',
      aspectRatio: null,
      durationSeconds: null,
      removeWatermark: null,
      modelOption: null,
      model: null,
      ...overrides,
    }),
    async close() {
      await client.close();
      await media.close();
      await keyv.disconnect();
      images.closeAllConnections();
      await new Promise((resolve) => images.close(resolve));
      await kie.close();
      await rm(path.dirname(imageDir), { recursive: true, force: true });
    },
  };
}
