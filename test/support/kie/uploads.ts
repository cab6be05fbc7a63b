import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { StandInContext } from './context.js';
import { sendRaw } from './http.js';
import { extensionFor, mimeForName, sniffMime, TEN_MB } from './media.js';
import { fetchRemote } from './remote.js';
import { isRecord, requireString } from './schemas.js';

type Upload = { bytes: Buffer; uploadPath?: unknown; fileName?: unknown; declaredType?: string | undefined };

export async function handleUrlUpload(
  ctx: StandInContext,
  res: ServerResponse,
  apiKey: string,
  json: unknown,
): Promise<void> {
  const missing = requireString(json, 'fileUrl');
  if (missing || !isRecord(json))
    return ctx.answer(res, missing?.code ?? 422, missing?.msg ?? 'Invalid body');
  const fileUrl = String(json.fileUrl);
  const got = await fetchRemote(ctx, fileUrl, apiKey, 30_000);
  // Kie documents 400 and 500 for this route without saying which; a failed download is taken as 500.
  if (!got.ok) return ctx.answer(res, 500, `Failed to download file from URL: ${got.error}`);
  const urlName = decodeURIComponent(new URL(fileUrl).pathname.split('/').pop() ?? '');
  store(ctx, res, apiKey, {
    bytes: got.bytes,
    uploadPath: json.uploadPath,
    fileName: json.fileName ?? (urlName || undefined),
    declaredType: got.mimeType,
  });
}

export function handleBase64Upload(
  ctx: StandInContext,
  res: ServerResponse,
  apiKey: string,
  json: unknown,
): void {
  const missing = requireString(json, 'base64Data');
  if (missing || !isRecord(json)) {
    ctx.answer(res, missing?.code ?? 422, missing?.msg ?? 'Invalid body');
    return;
  }
  const match = /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s.exec(String(json.base64Data));
  const payload = match ? (match[2] ?? '') : String(json.base64Data);
  const bytes = Buffer.from(payload, 'base64');
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(payload)) {
    ctx.answer(res, 400, 'base64Data: invalid Base64 data');
  } else if (bytes.length > TEN_MB) {
    ctx.answer(res, 400, 'File size exceeds the 10MB limit for Base64 upload');
  } else {
    store(ctx, res, apiKey, {
      bytes,
      uploadPath: json.uploadPath,
      fileName: json.fileName,
      declaredType: match?.[1],
    });
  }
}

export async function handleStreamUpload(
  ctx: StandInContext,
  res: ServerResponse,
  apiKey: string,
  form: FormData | undefined,
): Promise<void> {
  const file = form?.get('file');
  if (!form || file === null || typeof file === 'string' || file === undefined) {
    ctx.answer(res, 500, 'file: This field is required');
    return;
  }
  store(ctx, res, apiKey, {
    bytes: Buffer.from(await file.arrayBuffer()),
    uploadPath: form.get('uploadPath') ?? undefined,
    fileName: form.get('fileName') || file.name || undefined,
    declaredType: file.type || undefined,
  });
}

/** Same `filePath` overwrites the earlier file, as Kie documents. */
function store(ctx: StandInContext, res: ServerResponse, apiKey: string, upload: Upload): void {
  const mimeType =
    sniffMime(upload.bytes) ??
    (typeof upload.fileName === 'string' ? mimeForName(upload.fileName) : undefined) ??
    upload.declaredType ??
    'application/octet-stream';
  const fileName =
    typeof upload.fileName === 'string' && upload.fileName !== ''
      ? upload.fileName
      : `${randomUUID()}${extensionFor(mimeType)}`;
  const dir = typeof upload.uploadPath === 'string' ? upload.uploadPath.replace(/^\/+|\/+$/g, '') : '';
  const filePath = dir ? `${dir}/${fileName}` : fileName;
  const now = Date.now();
  const uploadedAt = new Date(now).toISOString();
  const expiresAt = now + ctx.options.uploadTtlMs;
  ctx.files.set(filePath, {
    filePath,
    fileName,
    bytes: upload.bytes,
    mimeType,
    uploadedAt,
    apiKey,
    expiresAt,
  });
  const link = `${ctx.url}/files/${filePath.split('/').map(encodeURIComponent).join('/')}`;
  const field = ctx.options.uploadAnswerField;
  const data: Record<string, unknown> = { fileName, filePath };
  if (field !== 'fileUrl') data.downloadUrl = link;
  if (field !== 'downloadUrl') data.fileUrl = link;
  Object.assign(data, { fileSize: upload.bytes.length, mimeType, uploadedAt });
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ success: true, code: 200, msg: 'File uploaded successfully', data }));
}

export function serveFile(ctx: StandInContext, res: ServerResponse, path: string): void {
  const filePath = path.slice('/files/'.length).split('/').map(decodeURIComponent).join('/');
  const file = ctx.files.get(filePath);
  // Kie deletes uploads after a while (24 h per [S]); the link then answers 404.
  if (file && Date.now() < file.expiresAt) sendRaw(res, 200, file.mimeType, file.bytes);
  else sendRaw(res, 404, 'text/plain', 'Not Found');
}

/** A fresh link for URLs this stand-in handed out (results and uploads); anything else is 422. */
export function handleDownloadUrl(ctx: StandInContext, res: ServerResponse, json: unknown): void {
  const missing = requireString(json, 'url');
  if (missing || !isRecord(json)) {
    ctx.answer(res, missing?.code ?? 422, missing?.msg ?? 'Invalid body');
    return;
  }
  const url = String(json.url);
  if (!url.startsWith(`${ctx.url}/results/`) && !url.startsWith(`${ctx.url}/files/`)) {
    ctx.answer(res, 422, 'url: only URLs generated by kie.ai are supported');
    return;
  }
  const fresh = new URL(url);
  fresh.search = '';
  fresh.searchParams.set('token', randomUUID());
  fresh.searchParams.set('expires', String(Date.now() + 20 * 60_000));
  ctx.answer(res, 200, 'success', fresh.toString());
}
