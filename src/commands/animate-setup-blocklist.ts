import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { BotContext } from '../app/bot-context.js';
import { describeBlocklistChange, renderBlocklist } from '../services/render/blocklist-messages.js';

const noMentions = { parse: [] };

/** `/animate-setup blocklist add|remove|list`; the caller has checked the member is an admin. */
export async function blocklist(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  guildId: string,
): Promise<void> {
  const locale = interaction.locale;
  const action = interaction.options.getSubcommand();
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  if (action !== 'add' && action !== 'remove') {
    const entries = await context.blocklist.list(guildId);
    await interaction.editReply({ ...renderBlocklist(locale, entries), allowedMentions: noMentions });
    return;
  }
  const words = interaction.options.getString('words', true);
  const by = interaction.user.id;
  const result =
    action === 'add'
      ? await context.blocklist.add(guildId, words, by)
      : await context.blocklist.remove(guildId, words, by);
  await interaction.editReply({
    content: describeBlocklistChange(locale, action, result),
    allowedMentions: noMentions,
  });
}
