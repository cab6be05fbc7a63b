import { open, rm } from 'node:fs/promises';
import { discardBody, firstHeader, type MediaFetcher, MediaUrlRefused } from './safe-fetch.js';

/**
 * Why a download failed: `http` (a non-2xx answer, `status` set), `network`, `timeout`,
 * `refused` (the media policy refused the URL or a redirect hop; the same URL is refused
 * again, so retrying it is pointless) or `not-video` (the bytes are not an MP4).
 */
export type DownloadFailure = 'http' | 'network' | 'timeout' | 'refused' | 'not-video';

/** Raised when a download fails before any byte cap was reached. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly kind: DownloadFailure,
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
 * Streams a URL into memory under the media policy, stopping as soon as it passes `maxBytes`
 * (announced or actual), so a huge or lying answer never fills the process. For small inputs
 * (images); a video goes to a file with {@link downloadVideoToFile}.
 */
export async function downloadBounded(
  url: string,
  maxBytes: number,
  timeoutMs: number,
  media: MediaFetcher,
): Promise<DownloadResult> {
  const chunks: Uint8Array[] = [];
  const result = await streamBounded(url, maxBytes, timeoutMs, media, (chunk) => {
    chunks.push(chunk);
  });
  if (result.kind !== 'ok') return result;
  return { kind: 'ok', bytes: Buffer.concat(chunks, result.size), contentType: result.contentType };
}

/**
 * Streams an MP4 video into a new file at `path` (created 0600; an existing file is an
 * error), with the same cap as {@link downloadBounded}. Bytes that do not start like an MP4
 * (an `ftyp` box first, as ISO BMFF puts it) are a `not-video` DownloadError as soon as the
 * first 8 arrive: an error page served with status 200 is never taken for the video. Only an
 * `ok` result leaves the file behind: past the cap or on any error, what was written is removed.
 */
export async function downloadVideoToFile(
  url: string,
  maxBytes: number,
  timeoutMs: number,
  path: string,
  media: MediaFetcher,
): Promise<FileDownloadResult> {
  const file = await open(path, 'wx', 0o600);
  const head = new Mp4Head();
  let result: FileDownloadResult | undefined;
  try {
    const streamed = await streamBounded(url, maxBytes, timeoutMs, media, async (chunk, contentType) => {
      head.check(chunk, contentType);
      for (let offset = 0; offset < chunk.byteLength; ) {
        offset += (await file.write(chunk, offset)).bytesWritten;
      }
    });
    if (streamed.kind === 'ok') head.checkComplete(streamed.contentType);
    result = streamed;
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

/**
 * The first bytes of a download, checked for an MP4's `ftyp` box at offset 4. The check is
 * made as soon as 8 bytes are in, before the rest is written anywhere.
 */
class Mp4Head {
  #bytes = Buffer.alloc(0);
  #checked = false;

  check(chunk: Uint8Array, contentType: string | null): void {
    if (this.#checked) return;
    this.#bytes = Buffer.concat([this.#bytes, chunk]).subarray(0, 8);
    if (this.#bytes.length < 8) return;
    this.#checked = true;
    if (this.#bytes.toString('latin1', 4, 8) !== 'ftyp') throw this.#refusal(contentType);
  }

  /** After the whole body: a body shorter than a box header is no video either. */
  checkComplete(contentType: string | null): void {
    if (!this.#checked) throw this.#refusal(contentType);
  }

  #refusal(contentType: string | null): DownloadError {
    const type = contentType ? `, served as ${contentType.split(';')[0]}` : '';
    return new DownloadError('not-video', `not an MP4 video${type}`);
  }
}

async function streamBounded(
  url: string,
  maxBytes: number,
  timeoutMs: number,
  media: MediaFetcher,
  sink: (chunk: Uint8Array, contentType: string | null) => Promise<void> | void,
): Promise<FileDownloadResult> {
  let response: Awaited<ReturnType<MediaFetcher['get']>>;
  try {
    response = await media.get(url, AbortSignal.timeout(timeoutMs));
  } catch (error) {
    throw downloadErrorOf(error);
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    discardBody(response.body);
    throw new DownloadError('http', `HTTP ${response.statusCode}`, response.statusCode);
  }
  const contentType = firstHeader(response.headers['content-type']) ?? null;
  const announced = Number(firstHeader(response.headers['content-length']) ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    discardBody(response.body);
    return { kind: 'too-large', size: announced };
  }
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      // Leaving the loop cancels the stream, so the rest is never read.
      if (total > maxBytes) {
        return { kind: 'too-large', size: Number.isFinite(announced) ? announced : undefined };
      }
      try {
        await sink(chunk, contentType);
      } catch (error) {
        throw new SinkFailure(error);
      }
    }
  } catch (error) {
    if (error instanceof SinkFailure) throw error.failure;
    throw downloadErrorOf(error);
  }
  return { kind: 'ok', size: total, contentType };
}

function downloadErrorOf(error: unknown): DownloadError {
  if (error instanceof MediaUrlRefused) return new DownloadError('refused', `refused: ${error.message}`);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new DownloadError('timeout', 'timed out');
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : 'network error';
  return new DownloadError('network', typeof code === 'string' ? code : message);
}
