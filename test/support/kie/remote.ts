import type { StandInContext } from './context.js';
import { sniffMime } from './media.js';

export type RemoteFile =
  | { ok: true; status: number; bytes: Buffer; mimeType: string }
  | { ok: false; status?: number; error: string };

/**
 * Kie's own download of a URL it was given (a task's image, or file-url-upload's fileUrl).
 * An 'image-fetch' fault applies here: 'slow' delays the download, any other kind makes it fail.
 */
export async function fetchRemote(
  ctx: StandInContext,
  url: string,
  apiKey: string,
  timeoutMs: number,
): Promise<RemoteFile> {
  const fault = ctx.faults.take('image-fetch', apiKey);
  if (fault && fault.kind !== 'slow') return { ok: false, error: `injected fault: ${fault.kind}` };
  if (fault) await ctx.sleep(fault.delayMs ?? 1000);
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': 'kie-stand-in/1.0' },
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (!response.ok) return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    const declared = response.headers.get('content-type')?.split(';')[0]?.trim();
    return {
      ok: true,
      status: response.status,
      bytes,
      mimeType: sniffMime(bytes) ?? declared ?? 'application/octet-stream',
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
