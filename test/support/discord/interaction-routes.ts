import { apiError, json, noContent, type Reply, type Req, type Route, route } from './http.js';
import { applyMessageBody, checkMessageBody, EPHEMERAL, LOADING } from './messages.js';
import { newMessage } from './payloads.js';
import {
  ACK_DEADLINE_MS,
  INTERACTION_TOKEN_TTL_MS,
  type InteractionState,
  type StandInState,
} from './state.js';
import type { MessageObject } from './types.js';
import { describeErrors, type FieldError, formBodyError } from './validate.js';
import { validateModal } from './validate-message.js';

type Obj = Record<string, unknown>;

export function describeInteraction(i: InteractionState): string {
  const d = (i.payload.data ?? {}) as Obj;
  const kind =
    ['?', 'ping', 'command', 'component', 'autocomplete', 'modal submit'][i.type] ?? `type ${i.type}`;
  return `${kind} ${String(d.name ?? d.custom_id ?? '')} (interaction ${i.id})`;
}

function allowedCallbacks(i: InteractionState): number[] {
  switch (i.type) {
    case 1:
      return [1];
    case 2:
      return [4, 5, 9];
    case 3:
      return [4, 5, 6, 7, 9];
    case 4:
      return [8];
    default:
      return i.sourceMessageId ? [4, 5, 6, 7] : [4, 5];
  }
}

/** Message type of an interaction reply: 20 for commands (23 for context menus), 19 otherwise. */
const replyType = (i: InteractionState) =>
  i.type === 2 ? ((i.payload.data as Obj).type === 1 ? 20 : 23) : 19;

export function interactionRoutes(state: StandInState): Route[] {
  const store = (m: MessageObject) => {
    state.messages.set(m.id, m);
    return m;
  };

  const callback = (req: Req, p: Record<string, string>): Reply => {
    const i = state.interactions.get(p.token ?? '');
    if (!i || i.id !== p.id) {
      state.violate(`POST ${req.route}: unknown interaction id/token`);
      return apiError(404, 10062, 'Unknown interaction');
    }
    const what = `callback for ${describeInteraction(i)}`;
    // Discord times the ack by its arrival, not by how long the stand-in took to look at it (the
    // first OpenAPI compile in a process can take a few hundred ms on a busy machine).
    const late = req.entry.at - i.sentAt;
    if (i.acked) {
      state.violate(`${what}: already acknowledged (type ${i.ackType}), got another callback`);
      return apiError(400, 40060, 'Interaction has already been acknowledged.');
    }
    if (late > ACK_DEADLINE_MS) {
      state.violate(
        `${what}: first ack arrived ${late} ms after INTERACTION_CREATE (deadline ${ACK_DEADLINE_MS} ms)`,
      );
      return apiError(404, 10062, 'Unknown interaction');
    }
    const body = req.json as Obj | undefined;
    const type = body?.type;
    if (typeof type !== 'number' || !allowedCallbacks(i).includes(type)) {
      state.violate(
        `${what}: callback type ${String(type)} is not valid here (allowed ${allowedCallbacks(i)})`,
      );
      return json(
        400,
        formBodyError([
          { path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'Invalid callback type' },
        ]),
      );
    }
    const data = (body?.data ?? {}) as Obj;
    const source = i.sourceMessageId ? state.messages.get(i.sourceMessageId) : undefined;
    const limit = i.attachmentSizeLimit;
    if (type === 4 || type === 7) {
      const bad = checkMessageBody(state, what, data, req.files, {
        create: type === 4,
        existing: type === 7 ? (source?.attachments ?? []) : [],
        uploadLimit: limit,
        path: ['data'],
      });
      if (bad) return bad;
    } else if (type === 9 || type === 8) {
      const errors: FieldError[] =
        type === 9
          ? validateModal(data)
          : Array.isArray(data.choices) && data.choices.length > 25
            ? [
                {
                  path: ['data', 'choices'],
                  code: 'BASE_TYPE_MAX_LENGTH',
                  message: 'Must be 25 or fewer in length.',
                },
              ]
            : [];
      if (errors.length) {
        state.violate(`${what}: invalid ${type === 9 ? 'modal' : 'choices'} (${describeErrors(errors)})`);
        return json(400, formBodyError(errors));
      }
    }
    i.acked = true;
    i.ackType = type;
    clearTimeout(i.timer);
    const flags = typeof data.flags === 'number' ? data.flags & EPHEMERAL : 0;
    if (type === 4 || type === 5) {
      const m = store(
        newMessage(state, { channelId: i.channelId, type: replyType(i), interaction: i, flags }),
      );
      if (type === 5) m.flags |= LOADING;
      else applyMessageBody(state, m, data, req.files, 'create');
      i.originalId = m.id;
    } else if ((type === 6 || type === 7) && source) {
      if (type === 7) applyMessageBody(state, source, data, req.files, 'edit');
      i.originalId = source.id;
    } else if (type === 9) i.modal = data;
    else if (type === 8) i.modal = { choices: data.choices };
    if (req.query.with_response !== 'true') return noContent();
    const message = i.originalId ? state.messages.get(i.originalId) : undefined;
    return json(200, {
      interaction: {
        id: i.id,
        type: i.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (message.flags & LOADING) !== 0,
              response_message_ephemeral: (message.flags & EPHEMERAL) !== 0,
            }
          : {}),
      },
      resource: { type, ...(message && type !== 6 ? { message } : {}) },
    });
  };

  /** Resolves the interaction behind a webhook URL, enforcing token expiry. */
  const webhook = (req: Req, p: Record<string, string>): InteractionState | Reply => {
    const i = state.interactions.get(p.token ?? '');
    if (!i) {
      state.violate(`${req.method} ${req.route}: unknown interaction token`);
      return apiError(401, 50027, 'Invalid Webhook Token');
    }
    if (p.app !== i.applicationId) {
      state.violate(
        `${req.method} ${req.route}: application id ${p.app} is not the interaction's ${i.applicationId}`,
      );
      return apiError(404, 10015, 'Unknown Webhook');
    }
    if (state.clock.now() > i.createdAt + INTERACTION_TOKEN_TTL_MS) {
      state.expiredTokenUses++;
      return apiError(401, 50027, 'Invalid Webhook Token');
    }
    if (!i.acked) {
      state.violate(`${req.method} ${req.route}: ${describeInteraction(i)} used before it was acknowledged`);
      return apiError(404, 10015, 'Unknown Webhook');
    }
    return i;
  };

  const webhookMessage = (req: Req, p: Record<string, string>): [InteractionState, MessageObject] | Reply => {
    const i = webhook(req, p);
    if (!('token' in i)) return i;
    const id = p.message === '@original' ? i.originalId : p.message;
    const owned = id !== undefined && (id === i.originalId || i.followups.has(id));
    const m = owned ? state.messages.get(id) : undefined;
    if (!m) {
      state.violate(`${req.method} ${req.route}: no such message for ${describeInteraction(i)}`);
      return apiError(404, 10008, 'Unknown Message');
    }
    return [i, m];
  };

  return [
    route('POST', '/interactions/:id/:token/callback', callback),
    route('GET', '/webhooks/:app/:token/messages/:message', (req, p) => {
      const r = webhookMessage(req, p);
      return Array.isArray(r) ? json(200, r[1]) : r;
    }),
    route('DELETE', '/webhooks/:app/:token/messages/:message', (req, p) => {
      const r = webhookMessage(req, p);
      if (!Array.isArray(r)) return r;
      state.messages.delete(r[1].id);
      return noContent();
    }),
    route('PATCH', '/webhooks/:app/:token/messages/:message', (req, p) => {
      const r = webhookMessage(req, p);
      if (!Array.isArray(r)) return r;
      const [i, m] = r;
      const what = `${req.method} ${req.route} (${describeInteraction(i)})`;
      const bad = checkMessageBody(state, what, req.json, req.files, {
        create: false,
        existing: m.attachments,
        uploadLimit: i.attachmentSizeLimit,
      });
      if (bad) return bad;
      applyMessageBody(state, m, (req.json ?? {}) as Obj, req.files, 'edit');
      return json(200, m);
    }),
    route('POST', '/webhooks/:app/:token', (req, p) => {
      const i = webhook(req, p);
      if (!('token' in i)) return i;
      const what = `follow-up for ${describeInteraction(i)}`;
      const bad = checkMessageBody(state, what, req.json, req.files, {
        create: true,
        uploadLimit: i.attachmentSizeLimit,
      });
      if (bad) return bad;
      const body = (req.json ?? {}) as Obj;
      const original = i.originalId ? state.messages.get(i.originalId) : undefined;
      let m: MessageObject;
      if (original && original.flags & LOADING && i.ackType === 5) {
        // Discord: the first follow-up after a deferred reply replaces the "thinking..." message.
        m = original;
        applyMessageBody(state, m, body, req.files, 'edit');
      } else {
        const flags = typeof body.flags === 'number' ? body.flags & EPHEMERAL : 0;
        m = store(newMessage(state, { channelId: i.channelId, type: replyType(i), interaction: i, flags }));
        applyMessageBody(state, m, body, req.files, 'create');
      }
      i.followups.add(m.id);
      return req.query.wait === 'true' ? json(200, m) : noContent();
    }),
  ];
}
