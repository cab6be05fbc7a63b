import { translate } from '../../src/services/i18n/index.js';
import { createModelRegistry, DEFAULT_MODEL_IDS } from '../../src/services/models/registry.js';
import type { Interaction } from '../support/discord/stand-in.js';
import { makePng } from '../support/images.js';
import type { Finding } from './report.js';
import { type ImageSpec, newMember, type RelWorld } from './world.js';

export const MIB = 1024 * 1024;
export const ALLOWED = 'JPEG, PNG, WEBP';

/**
 * The bot's default list (no DEFAULT_MODELS in the suite's env): a request the first model
 * cannot honour goes to the next that can, so an input is bad only when none of them takes
 * it, and the member is told the first model's problem.
 */
const registry = createModelRegistry();
const DEFAULTS = DEFAULT_MODEL_IDS.flatMap((id) => registry.get(id) ?? []);
const FIRST = DEFAULTS[0];
if (!FIRST) throw new Error('no default model');
export const MODEL = FIRST.label;
export const PROMPT_LIMIT = FIRST.prompt.maxLength;
export const ALLOWED_DURATIONS = FIRST.durationsSeconds.join(' / ');
/** One character past the longest prompt any default model takes. */
export const PROMPT_NO_DEFAULT_TAKES = Math.max(...DEFAULTS.map((model) => model.prompt.maxLength)) + 1;
/** The shortest whole number of seconds no default model makes. */
export const DURATION_NO_DEFAULT_MAKES = Array.from({ length: 60 }, (_, n) => n + 1).find((seconds) =>
  DEFAULTS.every((model) => !model.durationsSeconds.includes(seconds)),
) as number;

export interface BadInputContext {
  world: RelWorld;
  /** A finished job of guild 1 and its owner, for forged and foreign buttons. */
  jobId: string;
  owner: string;
  /** A member of guild 1 who does not own that job and is no admin. */
  stranger: string;
}

export interface BadInput {
  id: string;
  name: string;
  send(ctx: BadInputContext): Interaction;
  /** The exact answer; or `specific` when no catalogue text exists yet (anything but the generic error). */
  expect: { text: string } | { specific: true };
  finding?: Finding;
}

export const t = translate;
export const png = (): ImageSpec => ({ name: 'cat.png', type: 'image/png', bytes: makePng(64, 36) });

/** `/animate` with these options in guild 0 (unless `guild` or `dm`), from a fresh member. */
export function animate(
  ctx: BadInputContext,
  args: {
    image?: ImageSpec | null;
    prompt?: string | null;
    options?: Array<{ name: string; type: number; value: unknown }>;
    imageOption?: { name: string; type: number; value: unknown };
    locale?: string;
    dm?: boolean;
    name?: string;
    /** Leave `content_type` out of the attachment, as Discord does when it cannot tell. */
    dropContentType?: boolean;
  },
): Interaction {
  const image = args.image === undefined ? png() : args.image;
  const options: Array<{ name: string; type: number; value: unknown }> = [];
  if (args.imageOption) options.push(args.imageOption);
  else if (image) {
    const attachment = ctx.world.discord.seedAttachment(image.name, image.type, image.bytes, {
      ...(image.size === undefined ? {} : { size: image.size }),
    });
    if (args.dropContentType) delete (attachment as { content_type?: string }).content_type;
    options.push({ name: 'image', type: 11, value: attachment.id });
  }
  if (args.prompt !== null) options.push({ name: 'prompt', type: 3, value: args.prompt ?? 'the cat waves' });
  options.push(...(args.options ?? []));
  return ctx.world.discord.sendSlashCommand({
    name: args.name ?? 'animate',
    options,
    user: { id: newMember() },
    ...(args.dm ? { dm: true } : { guild: 0 }),
    ...(args.locale ? { locale: args.locale } : {}),
  });
}

export const button = (
  ctx: BadInputContext,
  customId: string,
  opts: { guild?: number; user?: string; locale?: string; componentType?: number } = {},
) =>
  ctx.world.discord.sendButton({
    customId,
    guild: opts.guild ?? 0,
    user: { id: opts.user ?? ctx.stranger },
    ...(opts.locale ? { locale: opts.locale } : {}),
    ...(opts.componentType ? { componentType: opts.componentType, values: ['x'] } : {}),
  });

export const modal = (
  ctx: BadInputContext,
  customId: string,
  fields: Record<string, string>,
  guild = 1,
  locale?: string,
) =>
  ctx.world.discord.sendModalSubmit({
    customId,
    fields,
    guild,
    user: { id: ctx.stranger },
    ...(locale ? { locale } : {}),
  });

/** At least 30 bad inputs, each with the one answer it should get, and no Kie createTask. */
