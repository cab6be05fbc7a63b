import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { translate } from '../services/i18n/index.js';
import { describeLogChannel, renderChannelSet } from '../services/render/audit-setup-messages.js';

const noMentions = { parse: [] };

/** `/animate-setup log-channel [channel] [off]`; the caller has checked the member is an admin. */
export async function logChannel(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  guildId: string,
): Promise<void> {
  const locale = interaction.locale;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const channel = interaction.options.getChannel('channel');
  const off = interaction.options.getBoolean('off') === true;
  if (!off && !channel) {
    const { logChannel: current } = await context.settings.get(guildId);
    const now = describeLogChannel(
      locale,
      current,
      current && context.audit.access(guildId, current.channelId),
    );
    await interaction.editReply({
      content: translate(locale, 'audit.setup.choose', { current: now }),
      allowedMentions: noMentions,
    });
    return;
  }
  const set = await context.audit.setChannel(
    guildId,
    off ? null : (channel?.id ?? null),
    interaction.user.id,
  );
  await interaction.editReply({
    content: renderChannelSet(locale, off ? null : (channel?.id ?? null), set),
    allowedMentions: noMentions,
  });
}
