import { randomBytes } from 'node:crypto';
import type { Gateway } from './gateway.js';
import { describeInteraction } from './interaction-routes.js';
import { memberPayload, newMessage, resolveUser } from './payloads.js';
import {
  ACK_DEADLINE_MS,
  EVERYONE_PERMISSIONS,
  type InteractionState,
  MiB,
  type StandInState,
} from './state.js';
import type {
  AutocompleteArgs,
  ButtonArgs,
  Interaction,
  InteractionContextArgs,
  MessageCommandArgs,
  ModalSubmitArgs,
  SlashCommandArgs,
} from './types.js';

type Obj = Record<string, unknown>;

/** Builds and dispatches INTERACTION_CREATE payloads and tracks their ack deadline. */
export class InteractionSender {
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: StandInState,
    private readonly gateway: Gateway,
  ) {}

  slashCommand(args: SlashCommandArgs): Interaction {
    const g = args.dm ? undefined : this.state.guilds[args.guild ?? 0];
    const resolved: Obj = { ...(args.resolved ?? {}) };
    const seeded: Obj = {};
    const visit = (opts: unknown[] | undefined) => {
      for (const o of opts ?? []) {
        const opt = o as Obj;
        if (opt.type === 11 && typeof opt.value === 'string' && this.state.seeded.has(opt.value)) {
          seeded[opt.value] = this.state.seeded.get(opt.value);
        }
        if (Array.isArray(opt.options)) visit(opt.options);
      }
    };
    visit(args.options);
    if (Object.keys(seeded).length) {
      resolved.attachments = { ...seeded, ...((resolved.attachments as Obj | undefined) ?? {}) };
    }
    const data: Obj = {
      id: this.commandId(args.name, g?.id),
      name: args.name,
      type: args.commandType ?? 1,
      ...(args.options ? { options: args.options } : {}),
      ...(Object.keys(resolved).length ? { resolved } : {}),
      ...(g && this.state.commands.byGuild.get(g.id)?.some((c) => c.name === args.name)
        ? { guild_id: g.id }
        : {}),
    };
    return this.send(2, data, args);
  }

  button(args: ButtonArgs): Interaction {
    const componentType = args.componentType ?? 2;
    return this.send(
      3,
      {
        custom_id: args.customId,
        component_type: componentType,
        ...(args.values ? { values: args.values } : {}),
      },
      args,
      (channelId) => {
        const existing = args.messageId ? this.state.messages.get(args.messageId) : undefined;
        if (args.messageId && !existing) throw new Error(`Discord stand-in: no message ${args.messageId}`);
        if (existing) return existing.id;
        const m = newMessage(this.state, { channelId, type: 0 });
        m.content = 'Message with a component';
        const component =
          componentType === 2
            ? { type: 2, style: 1, label: 'Button', custom_id: args.customId }
            : { type: componentType, custom_id: args.customId, options: [] };
        m.components = [{ type: 1, components: [component] }];
        this.state.messages.set(m.id, m);
        return m.id;
      },
    );
  }

  modalSubmit(args: ModalSubmitArgs): Interaction {
    const components = Object.entries(args.fields).map(([customId, value], i) => {
      const field = Array.isArray(value)
        ? { type: 3, id: i * 2 + 2, custom_id: customId, values: value }
        : { type: 4, id: i * 2 + 2, custom_id: customId, value };
      return args.labels || Array.isArray(value)
        ? { type: 18, id: i * 2 + 1, component: field }
        : { type: 1, id: i * 2 + 1, components: [field] };
    });
    return this.send(5, { custom_id: args.customId, components }, args, () => {
      if (!args.messageId) return undefined;
      if (!this.state.messages.has(args.messageId))
        throw new Error(`Discord stand-in: no message ${args.messageId}`);
      return args.messageId;
    });
  }

  messageCommand(args: MessageCommandArgs): Interaction {
    const g = args.dm ? undefined : this.state.guilds[args.guild ?? 0];
    const message = this.state.messages.get(args.messageId);
    if (!message) throw new Error(`Discord stand-in: no message ${args.messageId}`);
    return this.send(
      2,
      {
        id: this.commandId(args.name, g?.id),
        name: args.name,
        type: 3,
        target_id: message.id,
        resolved: { messages: { [message.id]: message } },
        ...(g && this.state.commands.byGuild.get(g.id)?.some((c) => c.name === args.name)
          ? { guild_id: g.id }
          : {}),
      },
      args,
    );
  }

  autocomplete(args: AutocompleteArgs): Interaction {
    const g = args.dm ? undefined : this.state.guilds[args.guild ?? 0];
    return this.send(
      4,
      { id: this.commandId(args.name, g?.id), name: args.name, type: 1, options: args.options },
      args,
    );
  }

  commandId(name: string, guildId?: string): string {
    const registered =
      (guildId ? this.state.commands.byGuild.get(guildId)?.find((c) => c.name === name) : undefined) ??
      this.state.commands.global.find((c) => c.name === name);
    if (registered) return registered.id;
    const key = `unregistered:${name}`;
    const id = this.state.commandIds.get(key) ?? this.state.snow.next();
    this.state.commandIds.set(key, id);
    return id;
  }

  send(
    type: number,
    data: Obj,
    args: InteractionContextArgs,
    sourceMessage?: (channelId: string) => string | undefined,
  ): Interaction {
    const state = this.state;
    const g = args.dm ? undefined : state.guilds[args.guild ?? 0];
    if (!args.dm && !g) throw new Error(`Discord stand-in: no guild at index ${args.guild}`);
    const { user, roles, permissions } = resolveUser(state, g, args.user);
    const channel = g ? state.channels.get(g.channelId) : state.dmChannelFor(user.id);
    if (!channel) throw new Error('Discord stand-in: channel missing');
    const createdAt = args.createdAt ?? state.clock.now();
    const id = state.snow.next(createdAt);
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString(
      'base64url',
    );
    const sourceId = sourceMessage?.(channel.id);
    const payload: Obj = {
      id,
      application_id: state.botUser.id,
      type,
      data,
      token,
      version: 1,
      channel_id: channel.id,
      channel: channel.payload,
      app_permissions: (
        args.appPermissions ?? (g ? EVERYONE_PERMISSIONS | state.botPermissions : EVERYONE_PERMISSIONS)
      ).toString(),
      locale: args.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': g ? g.id : '0' },
      context: g ? 0 : 1,
      attachment_size_limit: args.attachmentSizeLimit ?? g?.uploadLimit ?? 10 * MiB,
      ...(g
        ? {
            guild_id: g.id,
            guild: { id: g.id, locale: g.preferredLocale, features: [] },
            guild_locale: args.guildLocale ?? g.preferredLocale,
            member: memberPayload(state, g, user.id, { roles, permissions }),
          }
        : { user }),
      ...(sourceId ? { message: state.messages.get(sourceId) } : {}),
    };
    const i: InteractionState = {
      id,
      token,
      applicationId: state.botUser.id,
      type,
      payload,
      createdAt,
      sentAt: state.clock.now(),
      channelId: channel.id,
      userId: user.id,
      ...(g ? { guild: g } : {}),
      attachmentSizeLimit: payload.attachment_size_limit as number,
      acked: false,
      ...(sourceId ? { sourceMessageId: sourceId } : {}),
      followups: new Set(),
    };
    state.interactions.set(token, i);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    i.sentAt = state.clock.now();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!i.acked)
        state.violate(`${describeInteraction(i)} was not acknowledged within ${ACK_DEADLINE_MS} ms`);
    }, ACK_DEADLINE_MS + 100);
    timer.unref();
    i.timer = timer;
    this.#timers.add(timer);
    return {
      id,
      token,
      applicationId: i.applicationId,
      type,
      guildId: g?.id ?? null,
      channelId: channel.id,
      userId: user.id,
      createdAt,
      sentAt: i.sentAt,
      payload,
    };
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
