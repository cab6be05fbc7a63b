import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; problem: 'too-large' | 'aborted' };

/** A declared Content-Length over the cap; such a request is refused before reading a byte. */
export function declaresTooLarge(req: IncomingMessage, maxBytes: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > maxBytes;
}

/**
 * Reads a request body, stopping at `maxBytes`: a longer body (declared or chunked) is not kept,
 * and what is left of it is discarded unread.
 */
export function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  if (declaresTooLarge(req, maxBytes)) return Promise.resolve({ ok: false, problem: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, problem: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks) });
    const onAbort = () => finish({ ok: false, problem: 'aborted' });
    const finish = (result: BodyRead) => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      // Keep the stream flowing so the rest is dropped rather than buffered.
      if (!result.ok) req.resume();
      resolve(result);
    };
    // 'close' before 'end' means the client went away mid-body.
    req.on('data', onData).once('end', onEnd).once('error', onAbort).once('close', onAbort);
  });
}
