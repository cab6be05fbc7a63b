import type { AutocompleteInteraction } from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { translate } from '../services/i18n/index.js';
import { describeChoice, formatModelChoice } from '../services/models/describe-model.js';
import type { ModelEntry } from '../services/models/model.js';
import { CAMERA_CHOICES, namedExtra } from '../services/models/named-options.js';
import { allowedDurations } from '../services/models/options.js';

const MAX_CHOICES = 25;

/** The model a command will use: the member's pick, else the server's, else the bot's default. */
async function modelInUse(
  interaction: AutocompleteInteraction,
  context: BotContext,
): Promise<ModelEntry | undefined> {
  const picked = interaction.options.getString('model');
  const serverModel = interaction.guildId ? (await context.settings.get(interaction.guildId)).model : null;
  return context.models.get(picked ?? serverModel ?? context.config.DEFAULT_MODELS[0] ?? '');
}

/**
 * The models that can honour what the member already set: a last frame (`end_image`, `loop`),
 * `sound`, `camera`; each of those is offered only with the models that have it.
 */
function fitsAsked(interaction: AutocompleteInteraction): (entry: ModelEntry) => boolean {
  const { options } = interaction;
  const endFrame = options.get('end_image') !== null || options.getBoolean('loop') === true;
  const sound = options.getBoolean('sound') !== null;
  const camera = options.get('camera') !== null;
  return (entry) =>
    (!endFrame || entry.endFrame !== undefined) &&
    (!sound || namedExtra(entry, 'sound') !== undefined) &&
    (!camera || namedExtra(entry, 'camera') !== undefined);
}

/** Choices that depend on the chosen model: the model itself, its durations, its own options. */
export async function autocompleteAnimate(
  interaction: AutocompleteInteraction,
  context: BotContext,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).toLowerCase();
  const locale = interaction.locale;
  let choices: Array<{ name: string; value: string | number }> = [];
  if (focused.name === 'model') {
    const fits = fitsAsked(interaction);
    choices = context.models
      .list()
      .filter(fits)
      .map((entry) => ({ name: formatModelChoice(entry, locale), value: entry.id }))
      .filter((choice) => choice.name.toLowerCase().includes(typed) || choice.value.includes(typed));
  } else {
    const model = await modelInUse(interaction, context);
    if (model && focused.name === 'duration') {
      // Wan 3.0 offers 29 durations, more than a menu holds: what was typed narrows them.
      choices = allowedDurations(model)
        .filter((seconds) => String(seconds).startsWith(typed))
        .map((seconds) => ({ name: translate(locale, 'status.seconds', { seconds }), value: seconds }));
    } else if (model && focused.name === 'camera') {
      // Only where the model has a camera lock; elsewhere an empty menu, and the option is refused.
      choices = namedExtra(model, 'camera')
        ? CAMERA_CHOICES.map((camera) => ({
            name: translate(locale, `models.value.camera.${camera}`),
            value: camera,
          }))
        : [];
    } else if (model && focused.name === 'model_option') {
      // Sound and camera have options of their own.
      const extras = (model.extraOptions ?? []).filter((option) => !option.named);
      choices = extras.flatMap((option) =>
        option.choices.map((choice) => ({
          name: `${translate(locale, option.labelKey)}: ${describeChoice(option, choice, locale)}`,
          value: `${option.name}=${String(choice)}`,
        })),
      );
      choices = choices.filter((choice) => choice.name.toLowerCase().includes(typed));
    }
  }
  await interaction.respond(choices.slice(0, MAX_CHOICES));
}
