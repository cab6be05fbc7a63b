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

export type DownloadResult =
  | { kind: 'ok'; bytes: Buffer; contentType: string | null }
  | { kind: 'too-large'; size: number | undefined };

/**
 * Streams a URL into memory, stopping as soon as it passes `maxBytes` (announced or actual),
 * so a huge or lying answer never fills the process.
 */
export async function downloadBounded(
  url: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<DownloadResult> {
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
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.byteLength;
      // Leaving the loop cancels the stream, so the rest is never read.
      if (total > maxBytes) {
        return { kind: 'too-large', size: Number.isFinite(announced) ? announced : undefined };
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    throw new DownloadError(describeFetchError(error));
  }
  return {
    kind: 'ok',
    bytes: Buffer.concat(chunks, total),
    contentType: response.headers.get('content-type'),
  };
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : 'network error');
}
