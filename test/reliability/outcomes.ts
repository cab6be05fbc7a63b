import type { DiscordStandIn, Interaction, RestLogEntry } from '../support/discord/stand-in.js';
import type { StoredJob } from './store-reader.js';

/**
 * How an interaction ended, as the member saw it:
 * - delivered / linked: a message carried the video, or a link to it;
 * - failed: the reply says why there is no video;
 * - unacked: never deferred (the bot died first; Discord says the app did not respond);
 * - unseen: the store says the job ended but the member was told nothing;
 * - open: deferred, and nothing final happened (yet).
 */
export type OutcomeKind = 'delivered' | 'linked' | 'failed' | 'unacked' | 'unseen' | 'open';

export interface Outcome {
  interaction: Interaction;
  kind: OutcomeKind;
  /** The last words the member got for this interaction (empty when none). */
  text: string;
  /** Distinct messages that carry the video (posts under one nonce count once, as Discord dedupes them). */
  videoMessages: number;
  /** Upload requests of the video, repeats of an idempotent edit of the same message included. */
  videoUploads: number;
  /** How the last delivery went out. */
  via: 'webhook' | 'channel-edit' | 'channel-post' | 'none';
  jobs: StoredJob[];
}

const TERMINAL = new Set(['delivered', 'failed', 'expired', 'cancelled']);

export function contentOf(entry: RestLogEntry): string {
  const json = entry.json as { content?: unknown } | undefined;
  return typeof json?.content === 'string' ? json.content : '';
}

/** Successful writes the bot made for this interaction: webhook routes by token, channel routes by mention. */
export function writesFor(discord: DiscordStandIn, interaction: Interaction): RestLogEntry[] {
  const channelRoute = `/channels/${interaction.channelId}/messages`;
  const mention = `<@${interaction.userId}>`;
  return discord.log.filter(
    (entry) =>
      entry.method !== 'GET' &&
      entry.status < 300 &&
      !entry.route.startsWith('/interactions/') &&
      (entry.route.includes(interaction.token) ||
        (entry.route.startsWith(channelRoute) && contentOf(entry).includes(mention))),
  );
}

export function wasAcked(discord: DiscordStandIn, interaction: Interaction): boolean {
  const route = `/interactions/${interaction.id}/${interaction.token}/callback`;
  return discord.log.some((entry) => entry.method === 'POST' && entry.route === route && entry.status < 300);
}

/** When the interaction was deferred or answered (stand-in clock, which runs with Date.now()). */
export function ackedAt(discord: DiscordStandIn, interaction: Interaction): number | undefined {
  const route = `/interactions/${interaction.id}/${interaction.token}/callback`;
  return discord.log.find((entry) => entry.method === 'POST' && entry.route === route && entry.status < 300)
    ?.at;
}

/** The first answer to the interaction: a deferral (5, 6) or a direct message (4, 7), or a modal (9). */
export function callbackOf(discord: DiscordStandIn, interaction: Interaction) {
  const route = `/interactions/${interaction.id}/${interaction.token}/callback`;
  return discord.log.find((entry) => entry.method === 'POST' && entry.route === route);
}

export function judge(discord: DiscordStandIn, interaction: Interaction, jobs: StoredJob[]): Outcome {
  const mine = jobs.filter((job) => job.interactionId === interaction.id);
  const writes = writesFor(discord, interaction);
  // A failure message carries the video's link too (it may still be at Kie): that is no delivery.
  const ended =
    mine.length > 0 && mine.every((job) => TERMINAL.has(job.status) && job.status !== 'delivered');
  const deliveries = writes.filter(
    (entry) =>
      entry.files.some((file) => file.name.endsWith('.mp4')) ||
      (!ended && /\/results\//.test(contentOf(entry))),
  );
  const uploads = deliveries.filter((entry) => entry.files.length > 0);
  const messages = new Set(
    uploads.map((entry, index) => {
      if (entry.method === 'PATCH') return 'reply';
      const nonce = (entry.json as { nonce?: unknown } | undefined)?.nonce;
      return `post:${typeof nonce === 'string' ? nonce : index}`;
    }),
  );
  const spoken = writes.filter((entry) => contentOf(entry).trim() !== '');
  const callback = callbackOf(discord, interaction);
  const direct = (callback?.json as { data?: { content?: unknown } } | undefined)?.data?.content;
  const text = contentOf(spoken.at(-1) ?? ({ json: undefined } as RestLogEntry)) || String(direct ?? '');
  const last = deliveries.at(-1);
  const via = !last
    ? 'none'
    : last.route.includes(interaction.token)
      ? 'webhook'
      : last.method === 'PATCH'
        ? 'channel-edit'
        : 'channel-post';
  let kind: OutcomeKind;
  if (uploads.length > 0) kind = 'delivered';
  else if (deliveries.length > 0) kind = 'linked';
  else if (!wasAcked(discord, interaction)) kind = 'unacked';
  else if (text !== '') kind = 'failed';
  else if (mine.length > 0 && mine.every((job) => TERMINAL.has(job.status))) kind = 'unseen';
  else kind = 'open';
  return {
    interaction,
    kind,
    text,
    videoMessages: messages.size,
    videoUploads: uploads.length,
    via,
    jobs: mine,
  };
}

/** Tasks at Kie that no job record names: created (and paid for) without the bot keeping the id. */
export function orphanTasks(taskIds: Iterable<string>, jobs: StoredJob[]): string[] {
  const known = new Set(jobs.map((job) => job.taskId).filter((id): id is string => typeof id === 'string'));
  return [...taskIds].filter((id) => !known.has(id));
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
