import { open, rm } from 'node:fs/promises';

/** Raised when a download fails before any byte cap was reached. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

type TooLarge = { kind: 'too-large'; size: number | undefined };

export type DownloadResult = { kind: 'ok'; bytes: Buffer; contentType: string | null } | TooLarge;

export type FileDownloadResult = { kind: 'ok'; size: number; contentType: string | null } | TooLarge;

/**
 * Streams a URL into memory, stopping as soon as it passes `maxBytes` (announced or actual),
 * so a huge or lying answer never fills the process. For small inputs (images); a video goes
 * to a file with {@link downloadToFile}.
 */
export async function downloadBounded(
  url: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<DownloadResult> {
  const chunks: Uint8Array[] = [];
  const result = await streamBounded(url, maxBytes, timeoutMs, (chunk) => {
    chunks.push(chunk);
  });
  if (result.kind !== 'ok') return result;
  return { kind: 'ok', bytes: Buffer.concat(chunks, result.size), contentType: result.contentType };
}

/**
 * Streams a URL into a new file at `path` (created 0600; an existing file is an error), with
 * the same cap as {@link downloadBounded}. Only an `ok` result leaves the file behind: past
 * the cap or on any error, what was written is removed.
 */
export async function downloadToFile(
  url: string,
  maxBytes: number,
  timeoutMs: number,
  path: string,
): Promise<FileDownloadResult> {
  const file = await open(path, 'wx', 0o600);
  let result: FileDownloadResult | undefined;
  try {
    result = await streamBounded(url, maxBytes, timeoutMs, async (chunk) => {
      for (let offset = 0; offset < chunk.byteLength; ) {
        offset += (await file.write(chunk, offset)).bytesWritten;
      }
    });
  } finally {
    await file.close();
    if (result?.kind !== 'ok') await rm(path, { force: true });
  }
  return result;
}

/** A failure of the caller's sink, kept apart from the network's so it is not relabelled. */
class SinkFailure extends Error {
  constructor(readonly failure: unknown) {
    super('sink failed');
  }
}

async function streamBounded(
  url: string,
  maxBytes: number,
  timeoutMs: number,
  sink: (chunk: Uint8Array) => Promise<void> | void,
): Promise<FileDownloadResult> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    throw new DownloadError(describeFetchError(error));
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DownloadError(`HTTP ${response.status}`, response.status);
  }
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel();
    return { kind: 'too-large', size: announced };
  }
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.byteLength;
      // Leaving the loop cancels the stream, so the rest is never read.
      if (total > maxBytes) {
        return { kind: 'too-large', size: Number.isFinite(announced) ? announced : undefined };
      }
      try {
        await sink(chunk);
      } catch (error) {
        throw new SinkFailure(error);
      }
    }
  } catch (error) {
    if (error instanceof SinkFailure) throw error.failure;
    throw new DownloadError(describeFetchError(error));
  }
  return { kind: 'ok', size: total, contentType: response.headers.get('content-type') };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : 'network error');
}
