import { createHash } from 'node:crypto';
import { type Client, Events } from 'discord.js';
import { z } from 'zod';
import type { BotContext } from '../app/bot-context.js';
import { commands } from '../commands/index.js';
import type { JobStatus } from '../services/jobs/job-record.js';
import type { Event } from './event.js';

/**
 * Registers the command list only when it changed since the last registration (Discord allows
 * 200 command creations a day), then resumes every unfinished job of this client's guilds.
 */
export const readyEvent = {
  name: Events.ClientReady,
  once: true,
  async execute(context: BotContext, client: Client<true>) {
    const { logger } = context;
    await syncCommands(context, client).catch((error: unknown) =>
      logger.error({ err: error }, 'could not register the slash commands; run npm run deploy-commands'),
    );
    const resumed = await context.tracker.resume(client.guilds.cache.keys());
    await context.receipts
      .sweep(client.guilds.cache.keys(), context.replies, (guildId, interactionId) =>
        context.jobs.findByInteraction(guildId, interactionId),
      )
      .catch((error: unknown) =>
        logger.error({ err: error }, 'could not answer commands a restart interrupted'),
      );
    logger.info({ user: client.user.tag, guilds: client.guilds.cache.size, resumed }, 'bot ready');
    reportJobStates(context, client);
  },
} satisfies Event<Events.ClientReady>;

async function syncCommands(context: BotContext, client: Client<true>): Promise<void> {
  const body = commands.map((command) => command.data);
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const key = `commands-hash:${client.application.id}`;
  const stored = z
    .string()
    .optional()
    .catch(undefined)
    .parse(await context.commandState.get(key));
  if (stored === hash) return;
  await client.application.commands.set(body);
  await context.commandState.set(key, hash);
  context.logger.info({ commands: body.length }, 'registered the slash commands');
}

const JOB_STATE_REPORT_MS = 60_000;

/** Feeds the jobs_by_state gauge from this client's guilds, once a minute. */
function reportJobStates(context: BotContext, client: Client<true>): void {
  const report = async () => {
    const counts: Partial<Record<JobStatus, number>> = {};
    for (const guildId of client.guilds.cache.keys()) {
      for (const job of await context.jobs.listActive(guildId))
        counts[job.status] = (counts[job.status] ?? 0) + 1;
    }
    context.metrics.setJobsByState(counts);
  };
  const run = () =>
    void report().catch((error: unknown) => context.logger.warn({ err: error }, 'job state report failed'));
  run();
  setInterval(run, JOB_STATE_REPORT_MS).unref();
}
