import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteName } from './types.js';

/** Bigger than any upload a test sends (an 11 MB PNG as base64 is ~15 MB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export const CDN_ERROR_PAGE = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head><body>` +
  `<center><h1>${status} Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n`;

export function classifyRoute(method: string, path: string): RouteName {
  if (method === 'POST' && path === '/api/v1/jobs/createTask') return 'createTask';
  if (method === 'GET' && path === '/api/v1/jobs/recordInfo') return 'recordInfo';
  if (method === 'GET' && path === '/api/v1/chat/credit') return 'credit';
  if (method === 'POST' && path === '/api/file-url-upload') return 'file-url-upload';
  if (method === 'POST' && path === '/api/file-stream-upload') return 'file-stream-upload';
  if (method === 'POST' && path === '/api/file-base64-upload') return 'file-base64-upload';
  if (method === 'POST' && path === '/api/v1/common/download-url') return 'download-url';
  if (method === 'GET' && path === '/api/v1/models') return 'models';
  if ((method === 'GET' || method === 'HEAD') && path.startsWith('/results/')) return 'result';
  if ((method === 'GET' || method === 'HEAD') && path.startsWith('/files/')) return 'files';
  return 'other';
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function bearerKey(headers: Record<string, string>): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** JSON when it parses, the multipart summary when it is multipart, raw text otherwise. */
export async function summarizeBody(
  raw: Buffer,
  headers: Record<string, string>,
  url: string,
): Promise<{ summary: unknown; json?: unknown; form?: FormData }> {
  if (raw.length === 0) return { summary: undefined };
  const type = headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    try {
      const form = await new Request(url, {
        method: 'POST',
        headers: { 'content-type': type },
        body: raw,
      }).formData();
      const fields: Record<string, string> = {};
      const files: Array<{ field: string; fileName: string; type: string; size: number }> = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') fields[field] = value;
        else files.push({ field, fileName: value.name, type: value.type, size: value.size });
      }
      return { summary: { fields, files }, form };
    } catch {
      return { summary: raw.toString('utf8') };
    }
  }
  const text = raw.toString('utf8');
  try {
    const json: unknown = JSON.parse(text);
    return { summary: json, json };
  } catch {
    return { summary: text };
  }
}

export function sendJson(res: ServerResponse, httpStatus: number, body: unknown): void {
  sendRaw(res, httpStatus, 'application/json', JSON.stringify(body));
}

export function sendRaw(
  res: ServerResponse,
  httpStatus: number,
  contentType: string,
  body: string | Buffer,
): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(httpStatus, { 'content-type': contentType, 'content-length': bytes.length });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}
