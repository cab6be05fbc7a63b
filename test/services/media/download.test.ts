import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadBounded } from '../../../src/services/media/download.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function rejection(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

/** Resolves when the server sees the client hang up. */
function watchClose(res: ServerResponse) {
  return new Promise<void>((resolve) => res.on('close', resolve));
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const CAP = 64 * 1024;

describe('downloadBounded', () => {
  it('returns the bytes and the content type of a small answer', async () => {
    const body = Buffer.from(Array.from({ length: 5_000 }, (_, i) => i % 251));
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
      res.end(body);
    });
    const result = await downloadBounded(`${base}/cat.png`, CAP, 5_000);
    expect(result).toEqual({ kind: 'ok', bytes: body, contentType: 'image/png' });
  });

  it('accepts an answer of exactly the cap', async () => {
    const body = Buffer.alloc(CAP, 7);
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.end(body);
    });
    const result = await downloadBounded(base, CAP, 5_000);
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.bytes.equals(body)).toBe(true);
  });

  it('reports an announced length over the cap as too large without reading the body', async () => {
    let closed: Promise<void> | undefined;
    const base = await serve((_, res) => {
      closed = watchClose(res);
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 50 * 1024 * 1024 });
      // Only a sliver of the announced body is ever sent: reading it would hang until the timeout.
      res.write(Buffer.alloc(1024));
    });
    const started = performance.now();
    const result = await downloadBounded(base, CAP, 10_000);
    expect(result).toEqual({ kind: 'too-large', size: 50 * 1024 * 1024 });
    expect(performance.now() - started).toBeLessThan(5_000);
    await closed;
  });

  it('stops reading an unannounced stream as soon as it passes the cap', async () => {
    const chunk = Buffer.alloc(16 * 1024, 1);
    const chunksOnOffer = 1_000;
    let written = 0;
    let closed: Promise<void> | undefined;
    const base = await serve((_, res) => {
      closed = watchClose(res);
      res.writeHead(200, { 'content-type': 'video/mp4' });
      const pump = () => {
        if (res.destroyed || written >= chunksOnOffer) return void res.end();
        written += 1;
        res.write(chunk, () => setTimeout(pump, 2));
      };
      pump();
    });
    const result = await downloadBounded(base, CAP, 10_000);
    expect(result).toEqual({ kind: 'too-large', size: undefined });
    await closed;
    expect(written).toBeLessThan(chunksOnOffer / 4);
  });

  it('throws a DownloadError carrying the status of a 404', async () => {
    const base = await serve((_, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
    const error = await rejection(downloadBounded(`${base}/gone.png`, CAP, 5_000));
    expect(error.status).toBe(404);
    expect(error.message).toContain('404');
  });

  it('throws a DownloadError without a status when the connection is refused', async () => {
    const base = await serve(() => undefined);
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    const error = await rejection(downloadBounded(base, CAP, 5_000));
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('ECONNREFUSED');
  });

  it('times out when the server does not answer', async () => {
    const base = await serve(() => undefined);
    const started = performance.now();
    const error = await rejection(downloadBounded(base, CAP, 200));
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('timed out');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('times out when the body stalls after the headers', async () => {
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(100));
    });
    const error = await rejection(downloadBounded(base, CAP, 200));
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('timed out');
  });
});
