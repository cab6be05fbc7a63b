// @ts-check
// The floor of the ack and startup benchmarks: a bare discord.js client whose only work is
// deferReply(). Plain JavaScript, so that node runs it as it runs the bot's compiled dist/ (no
// loader). Started with DISCORD_TOKEN and DISCORD_API_URL; prints "ready" once logged in.
import { Client, Events, GatewayIntentBits } from 'discord.js';

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env.DISCORD_API_URL ?? '', retries: 0 },
});
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isRepliable()) void interaction.deferReply().catch(() => undefined);
});
client.once(Events.ClientReady, () => console.log('ready'));
process.once('SIGTERM', () => {
  void client.destroy().finally(() => process.exit(0));
});
await client.login(process.env.DISCORD_TOKEN);
