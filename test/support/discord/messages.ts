import { apiError, json, type Reply } from './http.js';
import { contentTypeFor } from './media.js';
import type { StandInState } from './state.js';
import type { AttachmentPayload, MessageObject, UploadedFile } from './types.js';
import { describeErrors, type FieldError, formBodyError } from './validate.js';
import { isEmptyMessage, validateMessage } from './validate-message.js';

type Obj = Record<string, unknown>;
const EPHEMERAL = 64;
const LOADING = 128;
/** Flags a bot may set on a message: SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2. */
const SETTABLE_FLAGS = 4 | 4096 | 8192 | (1 << 15);

export { EPHEMERAL, LOADING };

function fileIndex(f: UploadedFile, fallback: number): number | undefined {
  const m = /^files?\[(\d+)\]$/.exec(f.field);
  if (m) return Number(m[1]);
  return f.field === 'file' || f.field === 'files' ? fallback : undefined;
}

/** Checks that files are `files[n]` parts and that `attachments` ids are upload indexes or kept attachments. */
export function checkAttachments(
  body: Obj,
  files: UploadedFile[],
  existing: AttachmentPayload[],
  path: FieldError['path'] = [],
): FieldError[] {
  const errors: FieldError[] = [];
  const indexes = files.map((f, i) => fileIndex(f, i));
  indexes.forEach((idx, i) => {
    if (idx === undefined) {
      errors.push({
        path: [...path, 'files'],
        code: 'BAD_FILE_FIELD',
        message: `Unexpected multipart field "${files[i]?.field}"`,
      });
    }
  });
  if (body.attachments === undefined || body.attachments === null) return errors;
  if (!Array.isArray(body.attachments)) {
    return [
      ...errors,
      { path: [...path, 'attachments'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' },
    ];
  }
  const referenced = new Set<number>();
  body.attachments.forEach((a, j) => {
    const id = String((a as Obj | null)?.id ?? '');
    if (/^\d{1,4}$/.test(id) && indexes.includes(Number(id))) referenced.add(Number(id));
    else if (!existing.some((e) => e.id === id)) {
      errors.push({
        path: [...path, 'attachments', j, 'id'],
        code: 'ATTACHMENT_NOT_FOUND',
        message: `Attachment id ${id} matches neither an uploaded files[n] part nor an existing attachment`,
      });
    }
  });
  indexes.forEach((idx) => {
    if (idx !== undefined && !referenced.has(idx)) {
      errors.push({
        path: [...path, 'attachments'],
        code: 'ATTACHMENT_NOT_LISTED',
        message: `files[${idx}] has no attachments entry`,
      });
    }
  });
  return errors;
}

/**
 * Validates a message body (create or edit) with its uploads. Returns an error reply (and records a
 * violation) or undefined when the body may be applied.
 */
export function checkMessageBody(
  state: StandInState,
  what: string,
  body: unknown,
  files: UploadedFile[],
  opts: { create: boolean; existing?: AttachmentPayload[]; uploadLimit: number; path?: FieldError['path'] },
): Reply | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    if (files.length === 0 || body !== undefined) {
      state.violate(`${what}: body is not a JSON object`);
      return apiError(400, 50109, 'The request body contains invalid JSON.');
    }
  }
  const b = (body ?? {}) as Obj;
  const errors = [
    ...validateMessage(b, opts.path),
    ...checkAttachments(b, files, opts.existing ?? [], opts.path),
  ];
  if (errors.length) {
    state.violate(`${what}: invalid message (${describeErrors(errors)})`);
    return json(400, formBodyError(errors));
  }
  if (opts.create && isEmptyMessage(b, files.length)) {
    state.violate(`${what}: empty message`);
    return apiError(400, 50006, 'Cannot send an empty message');
  }
  if (files.some((f) => f.size > opts.uploadLimit)) return apiError(413, 40005, 'Request entity too large');
  return undefined;
}

/** Applies content/embeds/components/flags/attachments of a create or edit body to a message. */
export function applyMessageBody(
  state: StandInState,
  message: MessageObject,
  body: Obj,
  files: UploadedFile[],
  mode: 'create' | 'edit',
): void {
  if (body.content !== undefined) message.content = typeof body.content === 'string' ? body.content : '';
  if (body.embeds !== undefined) message.embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if (body.components !== undefined)
    message.components = Array.isArray(body.components) ? body.components : [];
  if (body.poll !== undefined && body.poll !== null) message.poll = body.poll;
  if (typeof body.tts === 'boolean' && mode === 'create') message.tts = body.tts;
  if (typeof body.flags === 'number') {
    message.flags = (message.flags & ~SETTABLE_FLAGS) | (body.flags & SETTABLE_FLAGS);
  }
  if (body.message_reference && mode === 'create') message.message_reference = body.message_reference;
  const entries = Array.isArray(body.attachments) ? (body.attachments as Obj[]) : undefined;
  let kept = message.attachments;
  if (entries) kept = message.attachments.filter((a) => entries.some((e) => String(e.id) === a.id));
  const ephemeral = (message.flags & EPHEMERAL) !== 0;
  const added = files.map((f, i) => {
    const idx = /^files?\[(\d+)\]$/.exec(f.field)?.[1] ?? String(i);
    const entry = entries?.find((e) => String(e.id) === idx);
    const filename = typeof entry?.filename === 'string' ? entry.filename : f.name;
    const extra: Partial<AttachmentPayload> = {};
    if (typeof entry?.description === 'string') extra.description = entry.description;
    if (typeof entry?.title === 'string') extra.title = entry.title;
    if (ephemeral) extra.ephemeral = true;
    return state.makeAttachment(message.channel_id, filename, f.bytes, contentTypeFor(f.name, f.type), extra);
  });
  message.attachments = [...kept, ...added];
  if (mode === 'edit') {
    if (message.flags & LOADING) message.flags &= ~LOADING;
    else message.edited_timestamp = new Date(state.clock.now()).toISOString();
  }
}
