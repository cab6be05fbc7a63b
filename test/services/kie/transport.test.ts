import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailureContext } from '../../../src/services/kie/error-mapping.js';
import { KieError } from '../../../src/services/kie/errors.js';
import { MAX_KIE_BODY_BYTES, sendKieRequest } from '../../../src/services/kie/transport.js';

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface Answering {
  url: string;
  /** Bytes of the body written before the client hung up (or all of them). */
  sent(): number;
  hungUp(): Promise<void>;
}

/** Answers every request with `total` bytes of a JSON-looking body, in 64 KiB pieces, paced by the client. */
async function answerWith(total: number, announce: boolean): Promise<Answering> {
  let sent = 0;
  let closed: Promise<void> = Promise.resolve();
  const server = createServer((_, res: ServerResponse) => {
    closed = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(announce ? { 'content-length': total } : {}),
    });
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      if (res.destroyed) return;
      if (sent >= total) return void res.end();
      const next = piece.subarray(0, Math.min(piece.length, total - sent));
      sent += next.length;
      res.write(next, () => setImmediate(pump));
    };
    if (total === 0) return void res.end();
    // A valid envelope first, so only the size can make it fail.
    const head = Buffer.from('{"code":200,"msg":"success","data":1}');
    sent = head.length;
    res.write(head, () => setImmediate(pump));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/chat/credit`,
    sent: () => sent,
    hungUp: () => closed,
  };
}

function exchange(url: string, maxBodyBytes?: number, idempotent = true) {
  const ctx: FailureContext = { route: 'credit', apiKey: 'kie-secret-key', idempotent };
  return sendKieRequest(
    {
      method: 'GET',
      url,
      apiKey: 'kie-secret-key',
      userAgent: 'test',
      timeoutMs: 10_000,
      ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    },
    ctx,
  );
}

describe('sendKieRequest body cap', () => {
  it('reads an answer up to the cap', async () => {
    const kie = await answerWith(200 * 1024, false);
    await expect(exchange(kie.url, 256 * 1024)).resolves.toMatchObject({ code: 200, data: 1 });
  });

  it('cuts an unannounced answer past the cap, without reading the rest, as a retryable non-JSON answer', async () => {
    const kie = await answerWith(64 * 1024 * 1024, false);
    const error = await exchange(kie.url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KieError);
    expect(error).toMatchObject({ kind: 'non-json' });
    expect(error).toMatchObject({ retryable: true, httpStatus: 200 });
    expect((error as Error).message).toBe(
      `Kie credit: answer larger than ${MAX_KIE_BODY_BYTES} bytes (application/json) (HTTP 200)`,
    );
    await kie.hungUp();
    // The server may have buffered a little more into the socket, never the 64 MiB.
    expect(kie.sent()).toBeLessThan(8 * MAX_KIE_BODY_BYTES);
  });

  it('refuses an announced length past the cap before reading the body', async () => {
    const kie = await answerWith(5 * 1024 * 1024, true);
    const error = await exchange(kie.url, 1024).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KieError);
    expect(error).toMatchObject({ kind: 'non-json' });
    expect((error as Error).message).toContain('answer larger than 1024 bytes');
    await kie.hungUp();
    expect(kie.sent()).toBeLessThan(5 * 1024 * 1024);
  });

  it('marks a cut createTask answer as ambiguous, never blindly repeated', async () => {
    const kie = await answerWith(2 * 1024, false);
    const error = await exchange(kie.url, 1024, false).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: false, ambiguous: true });
  });
});
