import type { IncomingMessage } from 'node:http';
import type { RestLogEntry, UploadedFile } from './types.js';

export interface Reply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
  /** Raw body (CDN); sent with `contentType`. */
  body?: Buffer;
  contentType?: string;
}

export interface Req {
  method: string;
  route: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  json: unknown;
  files: UploadedFile[];
  entry: RestLogEntry;
}

export type Handler = (req: Req, params: Record<string, string>) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { method, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

/** Finds the handler; `methodMismatch` is set when the path is known but not with this method. */
export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { handler: Handler; params: Record<string, string> } | { methodMismatch: boolean } {
  let pathKnown = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      params[k] = m[i + 1] ?? '';
    });
    return { handler: r.handler, params };
  }
  return { methodMismatch: pathKnown };
}

/** Interaction callback and webhook routes carry the token as their third segment: `{token}` instead. */
export function redactTokenRoutes(text: string): string {
  return text.replace(/\/(interactions|webhooks)\/([^/\s]+)\/[^/\s?]+/g, '/$1/$2/{token}');
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses JSON or multipart (files[n] + payload_json) bodies. Throws with a reason on malformed input. */
export async function parseBody(
  method: string,
  headers: Record<string, string>,
  raw: Buffer,
): Promise<{ json: unknown; files: UploadedFile[] }> {
  const type = headers['content-type'] ?? '';
  if (raw.length === 0) return { json: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://stand-in.local/', {
      method: method === 'GET' ? 'POST' : method,
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: UploadedFile[] = [];
    const fields: Record<string, string> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        fields[field] = value;
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.push({ field, name: value.name, type: value.type, size: bytes.length, bytes });
      }
    }
    if (fields.payload_json !== undefined) {
      try {
        return { json: JSON.parse(fields.payload_json), files };
      } catch {
        throw new Error('payload_json is not valid JSON');
      }
    }
    return { json: Object.keys(fields).length ? fields : undefined, files };
  }
  if (type.startsWith('application/json')) {
    try {
      return { json: JSON.parse(raw.toString('utf8')), files: [] };
    } catch {
      throw new Error('body is not valid JSON');
    }
  }
  throw new Error(`unsupported content-type ${JSON.stringify(type)} with a ${raw.length}-byte body`);
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  status,
  ...(body === undefined ? {} : { json: body }),
  ...(headers ? { headers } : {}),
});

export const apiError = (status: number, code: number, message: string): Reply =>
  json(status, { message, code });

export const noContent = (): Reply => ({ status: 204 });
