import type { APIInteractionGuildMember, GuildMember } from 'discord.js';

/** Role ids of the member behind an interaction, whether discord.js cached the member or not. */
export function memberRoleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
}
