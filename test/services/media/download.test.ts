import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadBounded, downloadVideoToFile } from '../../../src/services/media/download.js';
import { MediaFetcher } from '../../../src/services/media/safe-fetch.js';
import { loadSampleVideo, padMp4 } from '../../support/kie/media.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const fetchers: MediaFetcher[] = [];

/** A media fetcher that trusts the origin of `url`, as the bot trusts its configured stand-ins. */
function trusting(url: string): MediaFetcher {
  const fetcher = new MediaFetcher({ trustedOrigins: [url] });
  fetchers.push(fetcher);
  return fetcher;
}

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
  for (const fetcher of fetchers.splice(0)) await fetcher.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const CAP = 64 * 1024;
const SAMPLE_MP4 = await loadSampleVideo();
/** The first bytes of an MP4: a box header naming `ftyp`. */
const MP4_HEAD = Buffer.from('00000018667479706d703432', 'hex');
const TRICKLE_CHUNKS = 1_000;

interface Offer {
  base: string;
  /** Resolves when the client has hung up. */
  hungUp(): Promise<void>;
  chunksSent(): number;
}

/** Announces 50 MiB but only ever sends a sliver: reading the body would hang until the timeout. */
async function serveAnnouncedHuge(): Promise<Offer> {
  let closed: Promise<void> | undefined;
  const base = await serve((_, res) => {
    closed = watchClose(res);
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 50 * 1024 * 1024 });
    res.write(Buffer.alloc(1024));
  });
  return { base, hungUp: async () => closed, chunksSent: () => 1 };
}

/** Trickles up to TRICKLE_CHUNKS 16 KiB chunks without announcing a length, while the client reads. */
async function serveTrickle(first: Buffer = MP4_HEAD): Promise<Offer> {
  const chunk = Buffer.alloc(16 * 1024, 1);
  first.copy(chunk);
  let written = 0;
  let closed: Promise<void> | undefined;
  const base = await serve((_, res) => {
    closed = watchClose(res);
    res.writeHead(200, { 'content-type': 'video/mp4' });
    const pump = () => {
      if (res.destroyed || written >= TRICKLE_CHUNKS) return void res.end();
      written += 1;
      res.write(chunk, () => setTimeout(pump, 2));
    };
    pump();
  });
  return { base, hungUp: async () => closed, chunksSent: () => written };
}

describe('downloadBounded', () => {
  it('returns the bytes and the content type of a small answer', async () => {
    const body = Buffer.from(Array.from({ length: 5_000 }, (_, i) => i % 251));
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
      res.end(body);
    });
    const result = await downloadBounded(`${base}/cat.png`, CAP, 5_000, trusting(`${base}/cat.png`));
    expect(result).toEqual({ kind: 'ok', bytes: body, contentType: 'image/png' });
  });

  it('accepts an answer of exactly the cap', async () => {
    const body = Buffer.alloc(CAP, 7);
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.end(body);
    });
    const result = await downloadBounded(base, CAP, 5_000, trusting(base));
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.bytes.equals(body)).toBe(true);
  });

  it('reports an announced length over the cap as too large without reading the body', async () => {
    const offer = await serveAnnouncedHuge();
    const started = performance.now();
    const result = await downloadBounded(offer.base, CAP, 10_000, trusting(offer.base));
    expect(result).toEqual({ kind: 'too-large', size: 50 * 1024 * 1024 });
    expect(performance.now() - started).toBeLessThan(5_000);
    await offer.hungUp();
  });

  it('stops reading an unannounced stream as soon as it passes the cap', async () => {
    const offer = await serveTrickle();
    const result = await downloadBounded(offer.base, CAP, 10_000, trusting(offer.base));
    expect(result).toEqual({ kind: 'too-large', size: undefined });
    await offer.hungUp();
    expect(offer.chunksSent()).toBeLessThan(TRICKLE_CHUNKS / 4);
  });

  it('throws a refused DownloadError for a URL outside the media policy, without connecting', async () => {
    let requests = 0;
    const base = await serve((_, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'image/png' }).end('secret');
    });
    const media = trusting('https://cdn.discordapp.com');
    const error = await rejection(downloadBounded(`${base}/cat.png`, CAP, 5_000, media));
    expect(error).toMatchObject({ kind: 'refused', status: undefined });
    expect(error.message).toBe('refused: the URL: http:// is not allowed (https only)');
    expect(requests).toBe(0);
  });

  it('throws a DownloadError carrying the status of a 404', async () => {
    const base = await serve((_, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
    const error = await rejection(
      downloadBounded(`${base}/gone.png`, CAP, 5_000, trusting(`${base}/gone.png`)),
    );
    expect(error.status).toBe(404);
    expect(error.message).toContain('404');
  });

  it('throws a DownloadError without a status when the connection is refused', async () => {
    const base = await serve(() => undefined);
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    const error = await rejection(downloadBounded(base, CAP, 5_000, trusting(base)));
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('ECONNREFUSED');
  });

  it('times out when the server does not answer', async () => {
    const base = await serve(() => undefined);
    const started = performance.now();
    const error = await rejection(downloadBounded(base, CAP, 200, trusting(base)));
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('timed out');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('times out when the body stalls after the headers', async () => {
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(100));
    });
    const error = await rejection(downloadBounded(base, CAP, 200, trusting(base)));
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('timed out');
  });
});

describe('downloadVideoToFile', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'download-test-'));
    file = path.join(dir, 'video.mp4');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Serves `body` in 16 KiB pieces, optionally without announcing its length. */
  function serveInPieces(body: Buffer, announce: boolean): Handler {
    return (_, res) => {
      res.writeHead(200, {
        'content-type': 'video/mp4',
        ...(announce ? { 'content-length': body.length } : {}),
      });
      for (let at = 0; at < body.length; at += 16 * 1024) res.write(body.subarray(at, at + 16 * 1024));
      res.end();
    };
  }

  it('writes exactly the bytes served to the file, readable only by the bot', async () => {
    const video = padMp4(SAMPLE_MP4, 3 * 1024 * 1024 + 7);
    const base = await serve(serveInPieces(video, false));
    const result = await downloadVideoToFile(base, 4 * 1024 * 1024, 5_000, file, trusting(base));
    expect(result).toEqual({ kind: 'ok', size: video.length, contentType: 'video/mp4' });
    expect((await readFile(file)).equals(video)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('accepts a video of exactly the cap', async () => {
    const video = padMp4(SAMPLE_MP4, CAP);
    const base = await serve(serveInPieces(video, true));
    expect((await downloadVideoToFile(base, CAP, 5_000, file, trusting(base))).kind).toBe('ok');
    expect((await readFile(file)).equals(video)).toBe(true);
  });

  it('refuses an announced length over the cap without reading the body, leaving no file', async () => {
    const offer = await serveAnnouncedHuge();
    const result = await downloadVideoToFile(offer.base, CAP, 10_000, file, trusting(offer.base));
    expect(result).toEqual({ kind: 'too-large', size: 50 * 1024 * 1024 });
    await offer.hungUp();
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops an unannounced stream as soon as it passes the cap, leaving no file', async () => {
    const offer = await serveTrickle();
    const result = await downloadVideoToFile(offer.base, CAP, 10_000, file, trusting(offer.base));
    expect(result).toEqual({ kind: 'too-large', size: undefined });
    await offer.hungUp();
    expect(offer.chunksSent()).toBeLessThan(TRICKLE_CHUNKS / 4);
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves no file when the body stalls until the timeout', async () => {
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.write(padMp4(SAMPLE_MP4, 20_000));
    });
    const error = await rejection(downloadVideoToFile(base, CAP, 300, file, trusting(base)));
    expect(error.message).toBe('timed out');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an HTML page served with status 200 as no video, without reading it all, leaving no file', async () => {
    const page = Buffer.from('<!doctype html><title>admin</title>');
    const offer = await serveTrickle(page);
    const error = await rejection(
      downloadVideoToFile(offer.base, 100 * CAP, 10_000, file, trusting(offer.base)),
    );
    expect(error.kind).toBe('not-video');
    expect(error.message).toBe('not an MP4 video, served as video/mp4');
    await offer.hungUp();
    expect(offer.chunksSent()).toBeLessThan(TRICKLE_CHUNKS / 4);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a body shorter than an MP4 box header, leaving no file', async () => {
    const base = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const error = await rejection(downloadVideoToFile(base, CAP, 5_000, file, trusting(base)));
    expect(error).toMatchObject({ kind: 'not-video', message: 'not an MP4 video, served as text/plain' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('throws a DownloadError with the status of a 404 and leaves no file', async () => {
    const base = await serve((_, res) => {
      res.writeHead(404).end('gone');
    });
    expect((await rejection(downloadVideoToFile(base, CAP, 5_000, file, trusting(base)))).status).toBe(404);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never overwrites a file already at the path', async () => {
    await writeFile(file, 'someone else');
    const base = await serve(serveInPieces(SAMPLE_MP4, true));
    await expect(downloadVideoToFile(base, CAP, 5_000, file, trusting(base))).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(file, 'utf8')).toBe('someone else');
  });

  it('reports a file it cannot create as a file error, not a network failure', async () => {
    const base = await serve(serveInPieces(SAMPLE_MP4, true));
    const missing = path.join(dir, 'no-such-dir', 'video.mp4');
    const error = await downloadVideoToFile(base, CAP, 5_000, missing, trusting(base)).catch(
      (caught: unknown) => caught,
    );
    expect(error).not.toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ code: 'ENOENT' });
  });
});
