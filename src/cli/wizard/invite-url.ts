import { OAuth2Scopes, PermissionFlagsBits } from 'discord.js';

/** What the bot needs in a channel: see it, answer, embed, upload the video, read the message it replies to. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

/** The link that adds the bot to a server with exactly the scopes and permissions it needs. */
export function inviteUrl(applicationId: string): string {
  const scopes = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' ');
  // Built by hand: URLSearchParams would encode the space as '+', which Discord's docs never show.
  return `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(applicationId)}&scope=${encodeURIComponent(scopes)}&permissions=${BOT_PERMISSIONS}`;
}
